// A cache that is down is a miss, and a write that fails is reported, not thrown:
// lesson 04's rule for cache-aside, given to the lessons that build on it (10).
import type { Redis } from 'ioredis';
import { getJson, setJson, type CacheRead } from './json-cache.js';

/** getJson, except that a Redis error is reported to onCacheError and read as a miss. */
export async function readOrMiss<T>(redis: Redis, key: string, onCacheError: (error: unknown) => void): Promise<CacheRead<T>> {
  try {
    return await getJson<T>(redis, key);
  } catch (error) {
    onCacheError(error);
    return { hit: false };
  }
}

/** setJson, except that a Redis error is reported to onCacheError: the value is still right, the next miss loads again. */
export async function writeOrReport(
  redis: Redis,
  key: string,
  value: unknown,
  ttlSeconds: number,
  onCacheError: (error: unknown) => void,
): Promise<void> {
  try {
    await setJson(redis, key, value, ttlSeconds);
  } catch (error) {
    onCacheError(error);
  }
}
