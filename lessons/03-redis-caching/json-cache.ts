/**
 * Exercise 2 of 5: JSON values in Redis (source 3.2).
 *
 * getJson and setJson below are the source's code, translated. They work for
 * the happy path. Run the specs to see what they do with bytes that are not
 * JSON, an empty key, a TTL of 0 or a Map.
 */
import type { Redis } from 'ioredis';
// Given, not an exercise: the checks every file of this lesson uses. They are
// the reference's own (one copy in the repository); read them there.
import { assertKey, assertTtl, toJson } from '../../solutions/03-redis-caching/json-cache.js';

/** A cache read: `{ hit: false }` is a miss; `{ hit: true, value: 0 }` is a cached 0. */
export type CacheRead<T> = { hit: true; value: T } | { hit: false };

export async function getJson<T>(redis: Redis, key: string): Promise<CacheRead<T>> {
  // TODO: check the key; and what happens below when the bytes are not JSON?
  const cached = await redis.get(key);
  if (cached) return { hit: true, value: JSON.parse(cached) as T };
  return { hit: false };
}

/** Value and TTL in one command, so that there is no moment without a TTL. */
export async function setJson(redis: Redis, key: string, value: unknown, ttlSeconds: number): Promise<void> {
  // TODO: check the key and the TTL, and encode with toJson() (imported above):
  // what does JSON.stringify make of undefined, or of a Map?
  await redis.setex(key, ttlSeconds, JSON.stringify(value));
}

export { assertKey, assertTtl, toJson };
