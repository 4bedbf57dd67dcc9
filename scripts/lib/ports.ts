/**
 * The ports of `npm run redis:up`. docker-compose.yml and scripts/redis-local.sh
 * use the same; test/engine/compose.spec.ts checks that they agree.
 */
export const ports = { redis: 6379, cluster: [7000, 7001, 7002, 7003, 7004, 7005] } as const;

/** The Redis on ports.redis, where REDIS_URL points unless it is set. */
export const defaultRedisUrl = `redis://127.0.0.1:${ports.redis}`;
