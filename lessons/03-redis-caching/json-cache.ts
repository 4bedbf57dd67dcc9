/**
 * Exercise 2 of 5: JSON values in Redis (source 3.2).
 *
 * getJson and setJson below are the source's code, translated. They work for
 * the happy path. Run the specs to see what they do with bytes that are not
 * JSON, a key that holds a LIST, an empty key, a TTL of 0 or a Map.
 */
import type { Redis } from 'ioredis';
// Given, not an exercise: the checks every file of this lesson uses. Read them
// in provided/: isWrongType tells a foreign value from a Redis that is down.
import { assertKey, assertTtl, isWrongType } from '../../provided/checks.js';
import { toJson } from '../../provided/to-json.js';

/** A cache read: `{ hit: false }` is a miss; `{ hit: true, value: 0 }` is a cached 0. */
export type CacheRead<T> = { hit: true; value: T } | { hit: false };

export async function getJson<T>(redis: Redis, key: string): Promise<CacheRead<T>> {
  // TODO: check the key; and what happens below when the bytes are not JSON,
  // or the key holds a LIST (Redis answers GET with a WRONGTYPE error)?
  const cached = await redis.get(key);
  if (cached) return { hit: true, value: JSON.parse(cached) as T };
  return { hit: false };
}

/** Value and TTL in one command, so that there is no moment without a TTL. */
export async function setJson(redis: Redis, key: string, value: unknown, ttlSeconds: number): Promise<void> {
  // TODO: check the key and the TTL, and encode with toJson() (imported above):
  // what does JSON.stringify make of undefined, NaN, or a Map?
  await redis.setex(key, ttlSeconds, JSON.stringify(value));
}

export { assertKey, assertTtl, toJson };
