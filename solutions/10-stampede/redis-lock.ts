/**
 * Across processes: one loader per key for a whole fleet, through a lock in
 * Redis. Single flight (exercise 1) shares a load inside one process; four
 * app instances would still load four times.
 *
 * - Take the lock with one atomic command, SET key token NX PX ttl: a GET
 *   followed by a SET lets two processes both see "free".
 * - Release it only if it is still ours (compare-and-delete in one Lua
 *   script): a plain DEL after our TTL ran out deletes the next holder's lock.
 * - Those who did not get it wait for the value with exponential backoff and
 *   jitter, and after a bounded wait load it themselves: a lock holder that
 *   died must not take every waiter down with it.
 */
import { randomBytes } from 'node:crypto';
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

function assertMs(ms: number, name: string, caller: string): void {
  if (!Number.isInteger(ms) || ms < 1 || ms > MAX_LOCK_MS) {
    throw new RangeError(`${caller}: ${name} must be a whole number of milliseconds from 1 to ${MAX_LOCK_MS}, got ${ms}`);
  }
}

/** The lock, or null when someone else holds it. It frees itself after ttlMs. */
export async function acquireLock(redis: Redis, key: string, ttlMs: number): Promise<Lock | null> {
  assertKey(key, 'acquireLock');
  assertMs(ttlMs, 'ttlMs', 'acquireLock');
  const token = randomBytes(16).toString('base64url');
  const reply = await redis.set(key, token, 'PX', ttlMs, 'NX');
  return reply === 'OK' ? { key, token } : null;
}

const COMPARE_AND_DELETE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/** Frees the lock if it is still ours; false when it had expired (and maybe passed to someone else). */
export async function releaseLock(redis: Redis, lock: Lock): Promise<boolean> {
  return (await redis.eval(COMPARE_AND_DELETE, 1, lock.key, lock.token)) === 1;
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
  assertMs(lockTtlMs, 'lockTtlMs', 'getOrLoadLocked');
  assertMs(maxWaitMs, 'maxWaitMs', 'getOrLoadLocked');
  assertMs(firstDelayMs, 'firstDelayMs', 'getOrLoadLocked');

  const cached = await readOrMiss<T>(redis, key, onCacheError);
  if (cached.hit) return cached.value;

  // Full jitter: a random part of an exponentially growing delay, so waiters do not all look at once.
  let waited = 0;
  for (let attempt = 0; ; attempt++) {
    const lock = await tryLock(redis, `${key}:lock`, lockTtlMs, onCacheError);
    if (lock === 'redis-down') return loader(); // no cache, no lock: the origin answers alone
    if (lock) return loadAsHolder(redis, key, loader, ttlSeconds, lock, onCacheError);
    if (waited >= maxWaitMs) break;
    const share = random();
    const jitter = share >= 0 && share <= 1 ? share : 0.5; // a broken random() (NaN, 7) must not make the wait endless
    const delay = Math.min(maxWaitMs - waited, Math.max(1, Math.round(jitter * Math.min(MAX_DELAY_MS, firstDelayMs * 2 ** attempt))));
    await sleep(delay);
    waited += delay;
    const now = await readOrMiss<T>(redis, key, onCacheError);
    if (now.hit) return now.value;
  }
  // The holder is slow or dead: load without the lock rather than fail the request.
  const value = await loader();
  await writeOrReport(redis, key, value, ttlSeconds, onCacheError);
  return value;
}

async function loadAsHolder<T>(
  redis: Redis,
  key: string,
  loader: () => Promise<T>,
  ttlSeconds: number,
  lock: Lock,
  onCacheError: (error: unknown) => void,
): Promise<T> {
  try {
    const again = await readOrMiss<T>(redis, key, onCacheError); // the previous holder may have just written it
    if (again.hit) return again.value;
    const value = await loader();
    await writeOrReport(redis, key, value, ttlSeconds, onCacheError);
    return value;
  } finally {
    await releaseLock(redis, lock).catch(onCacheError); // if this fails, the TTL frees it
  }
}

async function tryLock(redis: Redis, key: string, ttlMs: number, onCacheError: (error: unknown) => void) {
  try {
    return await acquireLock(redis, key, ttlMs);
  } catch (error) {
    onCacheError(error);
    return 'redis-down' as const;
  }
}
