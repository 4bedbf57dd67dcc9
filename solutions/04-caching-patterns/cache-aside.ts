/**
 * Cache-aside, or lazy loading (source 4.1): look in the cache; on a miss, ask
 * the database and remember the answer for a while.
 *
 * The cache is an optimisation, never a dependency. A Redis that is down, slow
 * to answer with an error, or holding garbage costs a database query, not a
 * failed request (a key of another type included: getJson heals it). Only two
 * errors reach the caller: a bad argument (at once, before anything is read)
 * and the database's own.
 */
import type { Redis } from 'ioredis';
import { assertKey, assertTtl, getJson, setJson } from '../../provided/json-cache.js';
import type { User } from '../../provided/user-repository.js';
import { reporter, userKey, type UserCache } from '../../provided/user-cache.js';

// Given: the shape every pattern of this lesson works with.
export { userKey, type UserCache };

/** The cached value of `key`, or `loader()`'s, cached for `ttlSeconds`. A cached null or 0 is a hit. */
export async function getOrLoad<T>(
  redis: Redis,
  key: string,
  loader: () => Promise<T>,
  ttlSeconds: number,
  onCacheError?: (error: unknown) => void,
): Promise<T> {
  // Before the cache is touched, or a catch below would swallow the mistake.
  assertKey(key, 'getOrLoad');
  assertTtl(ttlSeconds, 'getOrLoad');
  const report = reporter(onCacheError); // a handler that throws does not fail the call
  try {
    const cached = await getJson<T>(redis, key);
    if (cached.hit) return cached.value;
  } catch (error) {
    report(error); // a cache that cannot answer is a miss
  }

  const value = await loader(); // its errors are the caller's: nothing is cached
  try {
    await setJson(redis, key, value, ttlSeconds);
  } catch (error) {
    report(error); // the value is still right; the next read pays the query again
  }
  return value;
}

/** A user through the cache. A user that does not exist is cached too (as null), so it costs one query per TTL, not one per read. */
export function getUser(cache: UserCache, id: number): Promise<User | null> {
  return getOrLoad(cache.redis, userKey(cache, id), () => cache.users.get(id), cache.ttlSeconds, cache.onCacheError);
}
