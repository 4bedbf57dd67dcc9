/**
 * Exercise 3 of 6: fencing. A lock holder can outlive its lock: a slow load,
 * a long GC pause. Its lock expires, another process takes it, loads the new
 * value and writes it; then the first one wakes up and writes its older value
 * over it, for a whole TTL.
 *
 * Below, the write does not care whether the lock is still ours, and an
 * invalidation leaves the lock to a load that began before it.
 * Run `npm run lesson 10 fencing`.
 */
import type { Redis } from 'ioredis';
import { assertKey, assertTtl } from '../../provided/json-cache.js';
import type { Lock } from '../../provided/redis-lock.js';

/** Writes `value` under `key` for ttlSeconds, only while `lock` is still ours. True if written. */
export async function writeWhileLocked(redis: Redis, lock: Lock, key: string, value: string | Buffer, ttlSeconds: number): Promise<boolean> {
  assertKey(key, 'writeWhileLocked');
  assertTtl(ttlSeconds, 'writeWhileLocked');
  void lock; // TODO: write only while the lock still holds our token, in one step
  await redis.set(key, value, 'EX', ttlSeconds);
  return true;
}

/** Removes `key` and its lock (`<key>:lock`), in one command: a load that began before can no longer write. */
export async function invalidate(redis: Redis, key: string): Promise<void> {
  assertKey(key, 'invalidate');
  await redis.unlink(key); // TODO: a holder that loaded before this still holds its lock, and writes
}
