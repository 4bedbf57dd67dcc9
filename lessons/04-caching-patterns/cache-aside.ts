/**
 * Exercise 1 of 4: cache-aside, or lazy loading (source 4.1). Look in the
 * cache; on a miss, ask the database and keep the answer for ttlSeconds.
 *
 * getOrLoad below is the source's get_user, word for word in TypeScript. It
 * works until Redis has a bad day. Run `npm run lesson 4` to see which days.
 */
import type { Redis } from 'ioredis';
import type { User, UserRepository } from '../../provided/user-repository.js';

/** What every pattern in this lesson works with. */
export interface UserCache {
  redis: Redis;
  users: UserRepository;
  /** Every cache key starts with it. */
  prefix: string;
  /** How long a cached user lives: the longest a stale one can be served. */
  ttlSeconds: number;
  /** Told about every cache failure that was swallowed (log it, count it); the call still succeeds. */
  onCacheError?: (error: unknown) => void;
}

export function userKey(cache: UserCache, id: number): string {
  return `${cache.prefix}user:${id}`;
}

/** A TTL must be checked before the cache is touched, or a try/catch around the cache would swallow the mistake. */
export function checkTtl(ttlSeconds: number): void {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) {
    throw new RangeError(`ttlSeconds must be a positive integer, got ${String(ttlSeconds)}`);
  }
}

/** The cached value of `key`, or `loader()`'s, cached for `ttlSeconds`. A cached null or 0 is a hit. */
export async function getOrLoad<T>(
  redis: Redis,
  key: string,
  loader: () => Promise<T>,
  ttlSeconds: number,
  onCacheError: (error: unknown) => void = () => {},
): Promise<T> {
  // TODO: a Redis that is down, or garbage under the key, must cost a database
  // query, never the request. provided/json-cache.ts reads JSON safely.
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
