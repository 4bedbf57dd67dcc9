/**
 * Exercise 1 of 5: cache-aside, or lazy loading (source 4.1). Look in the
 * cache; on a miss, ask the database and keep the answer for ttlSeconds.
 *
 * getOrLoad below is the source's get_user, word for word in TypeScript. It
 * works until Redis has a bad day. Run `npm run lesson 4` to see which days.
 */
import type { Redis } from 'ioredis';
import type { User } from '../../provided/user-repository.js';
import { userKey, type UserCache } from '../../provided/user-cache.js';

// Given: the shape every pattern of this lesson works with.
export { userKey, type UserCache };

/** The cached value of `key`, or `loader()`'s, cached for `ttlSeconds`. A cached null or 0 is a hit. */
export async function getOrLoad<T>(
  redis: Redis,
  key: string,
  loader: () => Promise<T>,
  ttlSeconds: number,
  onCacheError: (error: unknown) => void = () => {},
): Promise<T> {
  // TODO: a Redis that is down, or garbage under the key, must cost a database
  // query, never the request. provided/json-cache.ts reads JSON safely. A bad
  // key or TTL fails at once, before anything is read.
  const cached = await redis.get(key);
  if (cached) return JSON.parse(cached) as T;

  const value = await loader();
  await redis.setex(key, ttlSeconds, JSON.stringify(value));
  return value;
}

/** A user through the cache; a user that does not exist is cached too, as null. */
export function getUser(cache: UserCache, id: number): Promise<User | null> {
  return getOrLoad(cache.redis, userKey(cache, id), () => cache.users.get(id), cache.ttlSeconds, cache.onCacheError);
}
