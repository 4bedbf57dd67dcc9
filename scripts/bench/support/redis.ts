/** The benches' way to a real Redis: a fail-fast connection, and a sweep of the keys a bench wrote. */
import { Redis, type RedisOptions } from 'ioredis';
import { redisUrl } from '../../lib/probe.js';

export const benchRedisUrl = redisUrl();

/** A connected client, or null (after one line that says how to get a Redis) when none answers. */
export async function connectBench(options: RedisOptions = {}): Promise<Redis | null> {
  const redis = new Redis(benchRedisUrl, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 1, retryStrategy: () => null, ...options });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return redis;
  } catch {
    console.log(`No Redis at ${benchRedisUrl}: start one with npm run redis:up, or set REDIS_URL.`);
    redis.disconnect();
    return null;
  }
}

/** Removes every key under `prefix` (a prefix unique to the bench run: no glob characters), with SCAN and UNLINK. */
export async function sweepPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}
