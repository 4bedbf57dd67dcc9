/**
 * Exercise 3 of 5: cache-aside with updates and deletes (source 4.4). After
 * the database commits, the cached copy must go.
 *
 * updateUser is the source's: it SETs the new row into the cache. Two writers
 * whose SETs reach Redis out of order leave the older row there. Delete it
 * instead, and add the remedy for the race deleting still leaves: a second
 * delete a little later (options.secondDeleteAfterMs).
 */
import type { User, UserChanges } from '../../provided/user-repository.js';
import { userKey, type UserCache } from './cache-aside.js';

export interface InvalidateOptions {
  /** Delete the key again this long after the write; 0 (the default) deletes once. */
  secondDeleteAfterMs?: number;
}

/** The updated user, or null when there is no such user. */
export async function updateUser(
  cache: UserCache,
  id: number,
  changes: UserChanges,
  options: InvalidateOptions = {},
): Promise<User | null> {
  // TODO: delete instead of set; survive a cache that fails; honour options
  // (and refuse, before the write, a delay no Node timer can keep).
  const user = await cache.users.update(id, changes);
  await cache.redis.setex(userKey(cache, id), cache.ttlSeconds, JSON.stringify(user));
  return user;
}

/** Whether there was a user to delete. */
export async function deleteUser(cache: UserCache, id: number, options: InvalidateOptions = {}): Promise<boolean> {
  // TODO: the source gets this one nearly right. What if the DEL fails? And options?
  const deleted = await cache.users.delete(id);
  await cache.redis.del(userKey(cache, id));
  return deleted;
}
