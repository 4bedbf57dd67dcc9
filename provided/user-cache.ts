// What every pattern of lesson 04 works with, given so that the exercises are
// the patterns themselves: a Redis, the origin database, and where keys live.
import type { Redis } from 'ioredis';
import type { UserRepository } from './user-repository.js';

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

/**
 * `onCacheError`, made safe to call: a handler that throws (a logger that is
 * down) must neither fail a call whose answer is right nor skip the clean-up
 * that follows the report. What it throws is dropped; the report is best effort.
 */
export function reporter(onCacheError?: (error: unknown) => void): (error: unknown) => void {
  return (error) => {
    try {
      onCacheError?.(error);
    } catch {
      // the call goes on: the cache's failure was already swallowed, and so is the report's
    }
  };
}
