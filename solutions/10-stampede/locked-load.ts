/**
 * Across processes: one loader per key for a whole fleet. Single flight
 * (exercise 1) shares a load inside one process; four app instances would
 * still load four times. Here the instances agree through a lock in Redis
 * (exercises 2 and 3): its holder loads and writes, the others wait for the
 * value.
 *
 * The waiters look again with exponential backoff and full jitter, so that a
 * thousand of them do not all look at the same instant, and after a bounded
 * wait they load by themselves: a lock holder that died must not take every
 * request down with it. Only the holder writes, and only while its lock is
 * still its own.
 */
import type { Redis } from 'ioredis';
import { assertKey, assertTtl, toJson } from '../../provided/json-cache.js';
import { acquireLock, MAX_LOCK_MS, releaseLock, writeWhileLocked, type Lock } from '../../provided/redis-lock.js';
import { readOrMiss } from '../../provided/safe-json-cache.js';

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

  const cached = await readOrMiss<T>(redis, key, onCacheError);
  if (cached.hit) return cached.value;

  let waited = 0;
  for (let attempt = 0; ; attempt++) {
    let lock: Lock | null;
    try {
      lock = await acquireLock(redis, `${key}:lock`, lockTtlMs);
    } catch (error) {
      onCacheError(error);
      return loader(); // no cache, no lock: the origin answers alone
    }
    if (lock) return loadAsHolder(redis, lock, key, loader, { ttlSeconds, onCacheError });
    if (waited >= maxWaitMs) return loader(); // the holder is slow or dead: answer without it (its write is its own)
    // Full jitter: a random part of a delay that doubles, so waiters do not all look at once.
    const share = random();
    const jitter = share >= 0 && share <= 1 ? share : 0.5; // a broken random() (NaN, 7) must not make the wait endless
    const delay = Math.min(maxWaitMs - waited, Math.max(1, Math.round(jitter * Math.min(MAX_DELAY_MS, firstDelayMs * 2 ** attempt))));
    await sleep(delay);
    waited += delay;
    const now = await readOrMiss<T>(redis, key, onCacheError);
    if (now.hit) return now.value;
  }
}

type Holding = Required<Pick<LockedLoadOptions, 'ttlSeconds' | 'onCacheError'>>;

async function loadAsHolder<T>(redis: Redis, lock: Lock, key: string, loader: () => Promise<T>, { ttlSeconds, onCacheError }: Holding): Promise<T> {
  try {
    const again = await readOrMiss<T>(redis, key, onCacheError); // the previous holder may have just written it
    if (again.hit) return again.value;
    const value = await loader();
    try {
      // Fenced: if our lock ran out meanwhile, or an invalidation took it, the newer state stays.
      await writeWhileLocked(redis, lock, key, toJson(value, `getOrLoadLocked(${key})`), ttlSeconds);
    } catch (error) {
      onCacheError(error); // Redis failed, or JSON cannot hold the value: the caller still gets it
    }
    return value;
  } finally {
    await releaseLock(redis, lock).catch(onCacheError); // if this fails, the TTL frees it
  }
}
