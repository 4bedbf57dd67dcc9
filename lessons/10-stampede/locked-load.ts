/**
 * Exercise 4 of 6: one load across processes. With the lock of exercise 2 and
 * the fenced write of exercise 3 (both given, in provided/redis-lock.ts), make
 * one caller in the whole fleet load a missing key while the others wait for
 * its value.
 *
 * Below is the source's cache-aside: every instance that misses loads.
 * Run `npm run lesson 10 locked-load` (and `-- --redis real` for four real processes).
 */
import type { Redis } from 'ioredis';
import { assertKey, assertTtl } from '../../provided/json-cache.js';
import { MAX_LOCK_MS } from '../../provided/redis-lock.js';
import { readOrMiss, writeOrReport } from '../../provided/safe-json-cache.js';

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

const MAX_DELAY_MS = 250;
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Cache-aside where, across every process sharing this Redis, one caller loads a missing key and the others wait for its value. */
export async function getOrLoadLocked<T>(
  redis: Redis,
  key: string,
  loader: () => Promise<T>,
  options: LockedLoadOptions,
): Promise<T> {
  const { ttlSeconds, lockTtlMs = 5_000, maxWaitMs = 2_000, firstDelayMs = 10 } = options;
  const { random = Math.random, sleep = realSleep, onCacheError = () => {} } = options;
  assertKey(key, 'getOrLoadLocked');
  assertTtl(ttlSeconds, 'getOrLoadLocked');
  for (const [name, ms] of Object.entries({ lockTtlMs, maxWaitMs, firstDelayMs })) {
    if (!Number.isInteger(ms) || ms < 1 || ms > MAX_LOCK_MS) {
      throw new RangeError(`getOrLoadLocked: ${name} must be a whole number of milliseconds from 1 to ${MAX_LOCK_MS}, got ${ms}`);
    }
  }
  void [MAX_DELAY_MS, random, sleep]; // yours to use

  // TODO: on a miss, only the lock holder loads (and writes, fenced); the others wait for its value.
  const cached = await readOrMiss<T>(redis, key, onCacheError);
  if (cached.hit) return cached.value;
  const value = await loader();
  await writeOrReport(redis, key, value, ttlSeconds, onCacheError);
  return value;
}
