/**
 * Exercise 2 of 6: a lock in Redis. Single flight shares a load inside one
 * process; four app instances still load four times. A lock in Redis lets one
 * of them load while the others wait for its value (exercise 4 does that).
 *
 * The lock below is the one most first attempts write: look, then take; and
 * release with a plain DEL. Run `npm run lesson 10 redis-lock`.
 */
import type { Redis } from 'ioredis';

export interface Lock {
  readonly key: string;
  /** Random, known only to the holder: what release compares. */
  readonly token: string;
}

/** Node's timers and PX both take whole milliseconds; a wait past 2^31 - 1 ms would fire at once. */
export const MAX_LOCK_MS = 2 ** 31 - 1;

/** The lock, or null when someone else holds it. It frees itself after ttlMs. */
export async function acquireLock(redis: Redis, key: string, ttlMs: number): Promise<Lock | null> {
  // TODO: two processes can both see "free" between the GET and the SET.
  if ((await redis.get(key)) !== null) return null;
  const token = String(Date.now());
  await redis.set(key, token, 'PX', ttlMs);
  return { key, token };
}

/** Frees the lock if it is still ours; false when it had expired (and maybe passed to someone else). */
export async function releaseLock(redis: Redis, lock: Lock): Promise<boolean> {
  // TODO: this also deletes a lock that is no longer ours.
  return (await redis.del(lock.key)) === 1;
}
