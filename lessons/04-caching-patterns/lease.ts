/**
 * Exercise 4 of 5: leases. An invalidation must win over a load that was
 * already running when it came.
 *
 * getOrLoad (exercise 1) loses this race: a reader misses and reads the old
 * row; a writer commits and deletes the key; the reader then SETs the old row,
 * for a whole TTL. Take a lease on a miss (a token under the key itself), and
 * fill only while the lease is still there: whatever a writer does to the key
 * removes it.
 */
import type { Redis } from 'ioredis';
import type { User } from '../../provided/user-repository.js';
import { todo } from '../../provided/todo.js';
import { userKey, type UserCache } from '../../provided/user-cache.js';

/** How long a miss holds its lease: a load slower than this does not write what it loaded. */
export const LEASE_MS = 10_000;

/** getOrLoad (exercise 1), except that a load never writes over an invalidation that came while it ran. */
export async function getOrLoadLeased<T>(
  redis: Redis,
  key: string,
  loader: () => Promise<T>,
  ttlSeconds: number,
  onCacheError?: (error: unknown) => void,
): Promise<T> {
  // TODO: GET; a hit is our JSON. On a miss, SET a lease (a random token that
  // is not JSON) NX PX LEASE_MS; load; then write the value only if the key
  // still holds your lease (provided/redis-lock.ts has the atomic compares).
  return todo('04-caching-patterns', 'getOrLoadLeased');
}

/** A user through the leased cache. */
export function getUserLeased(cache: UserCache, id: number): Promise<User | null> {
  return getOrLoadLeased(cache.redis, userKey(cache, id), () => cache.users.get(id), cache.ttlSeconds, cache.onCacheError);
}
