/**
 * A lock in Redis, so that one process of a whole fleet does something (here:
 * loads a missing key) while the others wait.
 *
 * - Take it with one atomic command, SET key token NX PX ttl: a GET followed
 *   by a SET lets two processes both see "free".
 * - Release it only if it is still ours (compare-and-delete in one Lua
 *   script): a plain DEL after our TTL ran out deletes the next holder's lock.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { assertKey } from '../../provided/json-cache.js';

export interface Lock {
  readonly key: string;
  /** Random, known only to the holder: what release compares. */
  readonly token: string;
}

/** Node's timers and PX both take whole milliseconds; a wait past 2^31 - 1 ms would fire at once. */
export const MAX_LOCK_MS = 2 ** 31 - 1;

/** The lock, or null when someone else holds it. It frees itself after ttlMs. */
export async function acquireLock(redis: Redis, key: string, ttlMs: number): Promise<Lock | null> {
  assertKey(key, 'acquireLock');
  if (!Number.isInteger(ttlMs) || ttlMs < 1 || ttlMs > MAX_LOCK_MS) {
    throw new RangeError(`acquireLock: ttlMs must be a whole number of milliseconds from 1 to ${MAX_LOCK_MS}, got ${ttlMs}`);
  }
  const token = randomBytes(16).toString('base64url'); // 128 random bits: nobody guesses it
  const reply = await redis.set(key, token, 'PX', ttlMs, 'NX');
  return reply === 'OK' ? { key, token } : null;
}

// A script runs atomically: nothing happens between its GET and its DEL.
const COMPARE_AND_DELETE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/** Frees the lock if it is still ours; false when it had expired (and maybe passed to someone else). */
export async function releaseLock(redis: Redis, lock: Lock): Promise<boolean> {
  return (await redis.eval(COMPARE_AND_DELETE, 1, lock.key, lock.token)) === 1;
}
