/**
 * JSON values in Redis (source 3.2), read so that a miss is never confused
 * with a cached falsy value.
 *
 * The source's readers (3.3, 3.4) return the value or None, so a cached None
 * (json.dumps(None) is 'null', which loads back as None) looks like a miss and
 * the database is asked again on every request. A read here says which it
 * was: `{ hit: false }`, or `{ hit: true, value }` whatever the value is.
 *
 * What is under the key is not always ours: a truncated write, another
 * service's string, a LIST someone pushed (Redis answers GET with WRONGTYPE).
 * Each is a miss, deleted so that the next write heals the key, never an
 * error that would make every later call look like "Redis is down".
 */
import type { Redis } from 'ioredis';
import { assertKey, assertTtl, isWrongType } from '../../provided/checks.js';
import { toJson } from '../../provided/to-json.js';

/** A cache read: `{ hit: false }` is a miss; `{ hit: true, value: 0 }` is a cached 0. */
export type CacheRead<T> = { hit: true; value: T } | { hit: false };

export async function getJson<T>(redis: Redis, key: string): Promise<CacheRead<T>> {
  assertKey(key, 'getJson');
  let raw: string | null;
  try {
    raw = await redis.get(key);
  } catch (error) {
    if (!isWrongType(error)) throw error; // Redis is down: the caller decides
    return forget(redis, key);
  }
  if (raw === null) return { hit: false };
  try {
    return { hit: true, value: JSON.parse(raw) as T };
  } catch {
    return forget(redis, key); // garbage in the cache is a miss, not a crash
  }
}

/** Value and TTL in one command (SET key value EX ttl): there is no moment without a TTL. */
export async function setJson(redis: Redis, key: string, value: unknown, ttlSeconds: number): Promise<void> {
  assertKey(key, 'setJson');
  assertTtl(ttlSeconds, 'setJson');
  await redis.set(key, toJson(value, `setJson(${key})`), 'EX', ttlSeconds);
}

/** A foreign value under our key: delete it, and call it a miss. */
async function forget(redis: Redis, key: string): Promise<{ hit: false }> {
  await redis.unlink(key);
  return { hit: false };
}

// Given, not part of the exercise (provided/): the checks every file of this lesson uses.
export { assertKey, assertTtl, toJson };
