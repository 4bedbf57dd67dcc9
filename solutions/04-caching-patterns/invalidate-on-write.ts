/**
 * Cache-aside with updates and deletes (source 4.4): after the database
 * commits, delete the cached copy; the next read loads the new row.
 *
 * Why delete rather than set (the source sets): two writers A and B commit in
 * the order A, B, but their SETs can reach Redis in the order B, A, and then
 * the cache keeps A's older row until the TTL ends. Two deletes in any order
 * leave the same thing: nothing, and the next read asks the database.
 *
 * Deleting still leaves one race: a reader that missed, read the old row, and
 * is slow to put it back can do so after the writer's delete. The remedy here
 * is a second delete a little later, after any read in flight has landed. It
 * narrows the window to reads slower than `secondDeleteAfterMs`; a versioned
 * set closes it (see the README).
 */
import type { User, UserChanges } from '../../provided/user-repository.js';
import { reporter } from '../../provided/user-cache.js';
import { userKey, type UserCache } from './cache-aside.js';

export interface InvalidateOptions {
  /** Delete the key again this long after the write; 0 (the default) deletes once. At most MAX_TIMER_MS. */
  secondDeleteAfterMs?: number;
}

/** The longest delay a Node timer keeps (2^31 - 1 ms, about 24.8 days): a longer one fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The updated user, or null when there is no such user. */
export async function updateUser(
  cache: UserCache,
  id: number,
  changes: UserChanges,
  options: InvalidateOptions = {},
): Promise<User | null> {
  checkOptions(options);
  const updated = await cache.users.update(id, changes);
  await invalidate(cache, id, options);
  return updated;
}

/** Whether there was a user to delete. */
export async function deleteUser(cache: UserCache, id: number, options: InvalidateOptions = {}): Promise<boolean> {
  checkOptions(options);
  const deleted = await cache.users.delete(id);
  await invalidate(cache, id, options);
  return deleted;
}

/** Checked before the write: a bad option found after the commit would fail a write that happened. */
function checkOptions({ secondDeleteAfterMs = 0 }: InvalidateOptions): void {
  if (!(secondDeleteAfterMs >= 0 && secondDeleteAfterMs <= MAX_TIMER_MS)) {
    throw new RangeError(`secondDeleteAfterMs must be a number from 0 to ${MAX_TIMER_MS}, got ${String(secondDeleteAfterMs)}`);
  }
}

/** Called after the commit: deleting before it would let a reader cache the old row again at once. */
async function invalidate(cache: UserCache, id: number, { secondDeleteAfterMs = 0 }: InvalidateOptions): Promise<void> {
  const key = userKey(cache, id);
  // Never rejects, even when onCacheError throws: the timer's delete has nobody to reject to.
  const unlink = () => cache.redis.unlink(key).catch(reporter(cache.onCacheError));
  await unlink(); // a failure here is not the writer's: the row is committed, and the TTL bounds the damage
  if (secondDeleteAfterMs > 0) {
    // unref: a pending second delete must not keep a process alive.
    setTimeout(() => void unlink(), secondDeleteAfterMs).unref();
  }
}
