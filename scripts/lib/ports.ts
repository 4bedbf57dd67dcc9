/**
 * The ports of `npm run redis:up`. docker-compose.yml and scripts/redis-local.sh
 * use the same; test/engine/compose.spec.ts checks that they agree.
 */
export const ports = { redis: 6379, cluster: [7000, 7001, 7002, 7003, 7004, 7005] } as const;
