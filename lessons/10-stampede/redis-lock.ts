/**
 * Exercise 2 of 4: across processes. Single flight shares a load inside one
 * process; four app instances still load four times. A lock in Redis makes
 * one of them load while the others wait for its value.
 *
 * The lock below is the one most first attempts write: look, then take.
 * Run `npm run lesson 10` (and `-- --redis real` for four real processes).
 */
import type { Redis } from 'ioredis';
import { assertKey, assertTtl } from '../../provided/json-cache.js';
import { readOrMiss, writeOrReport } from '../../provided/safe-json-cache.js';

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

export interface LockedLoadOptions {
  ttlSeconds: number;
  /** How long the lock lives if its holder dies: longer than a load takes. Default 5,000 ms. */
  lockTtlMs?: number;
  /** How long a waiter waits for the holder's value before it loads itself. Default 2,000 ms. */
  maxWaitMs?: number;
  /** The first wait between two looks; each next one doubles, up to 250 ms. Default 10 ms. */
  firstDelayMs?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onCacheError?: (error: unknown) => void;
}

/** Cache-aside where, across every process sharing this Redis, one caller loads a missing key and the others wait for its value. */
export async function getOrLoadLocked<T>(
  redis: Redis,
  key: string,
  loader: () => Promise<T>,
  options: LockedLoadOptions,
): Promise<T> {
  const { ttlSeconds, onCacheError = () => {} } = options;
  assertKey(key, 'getOrLoadLocked');
  assertTtl(ttlSeconds, 'getOrLoadLocked');
  // TODO: on a miss, only the lock holder loads; the others wait for its value.
  const cached = await readOrMiss<T>(redis, key, onCacheError);
  if (cached.hit) return cached.value;
  const value = await loader();
  await writeOrReport(redis, key, value, ttlSeconds, onCacheError);
  return value;
}
