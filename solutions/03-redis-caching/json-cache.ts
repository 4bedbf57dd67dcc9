/**
 * JSON values in Redis (source 3.2), read so that a miss is never confused
 * with a cached falsy value.
 */
import type { Redis } from 'ioredis';

/** A cache read: `{ hit: false }` is a miss; `{ hit: true, value: 0 }` is a cached 0. */
export type CacheRead<T> = { hit: true; value: T } | { hit: false };

export async function getJson<T>(redis: Redis, key: string): Promise<CacheRead<T>> {
  const raw = await redis.get(key);
  if (raw === null) return { hit: false };
  try {
    return { hit: true, value: JSON.parse(raw) as T };
  } catch {
    await redis.unlink(key); // garbage in the cache is a miss, not a crash
    return { hit: false };
  }
}

/** Value and TTL in one command (SET key value EX ttl): there is no moment without a TTL. */
export async function setJson(redis: Redis, key: string, value: unknown, ttlSeconds: number): Promise<void> {
  if (key === '') throw new TypeError('setJson: the key is empty');
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) {
    throw new RangeError(`setJson: ttlSeconds must be a positive integer, got ${String(ttlSeconds)}`);
  }
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`setJson: ${typeof value} cannot be stored as JSON`);
  await redis.set(key, json, 'EX', ttlSeconds);
}
