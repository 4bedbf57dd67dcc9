/**
 * Single flight: when a hot key is missing, every request that arrives before
 * the first load finishes would query the database (the stampede). Here they
 * share one load: lesson 01's in-flight promise, now in front of Redis.
 *
 * A shared load fails for all its waiters together and is not remembered, so
 * the next caller tries again. A waiter never hangs: with a timeout it gets a
 * LoadTimeoutError, while the load itself goes on for whoever joins it next.
 */
import type { Redis } from 'ioredis';
import { assertKey, assertTtl } from '../../provided/json-cache.js';
import { readOrMiss, writeOrReport } from '../../provided/safe-json-cache.js';

/** What a waiter gets when the shared load takes longer than its timeout. */
export class LoadTimeoutError extends Error {
  override name = 'LoadTimeoutError';
  constructor(
    readonly key: string,
    readonly timeoutMs: number,
  ) {
    super(`the load of "${key}" took more than ${timeoutMs} ms; it goes on, and the next caller joins it`);
  }
}

/** Node's timers take at most 2^31 - 1 ms; a longer one fires after 1 ms. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export class SingleFlight {
  readonly #flights = new Map<string, Promise<unknown>>();

  /** How many loads are running now. */
  get size(): number {
    return this.#flights.size;
  }

  /**
   * `load()`'s result, shared by every call for `key` while it runs. An async
   * function runs up to its first await at once, so a thousand calls in one
   * tick start the load once; bad arguments reject, as every promise here does.
   */
  async run<T>(key: string, load: () => Promise<T>, timeoutMs = Number.POSITIVE_INFINITY): Promise<T> {
    assertKey(key, 'SingleFlight.run');
    if (!(timeoutMs > 0 && (timeoutMs <= MAX_TIMEOUT_MS || timeoutMs === Number.POSITIVE_INFINITY))) {
      throw new RangeError(`SingleFlight.run: timeoutMs must be between 1 and ${MAX_TIMEOUT_MS} (or Infinity), got ${timeoutMs}`);
    }
    let flight = this.#flights.get(key) as Promise<T> | undefined;
    if (flight === undefined) {
      // A load that throws instead of rejecting is still a rejection for its waiters.
      flight = new Promise<T>((resolve) => resolve(load()));
      this.#flights.set(key, flight);
      // Nothing else replaces a running flight, so the entry is still this one when it settles.
      const forget = () => this.#flights.delete(key);
      flight.then(forget, forget);
    }
    return timeoutMs === Number.POSITIVE_INFINITY ? flight : withTimeout(flight, key, timeoutMs);
  }
}

function withTimeout<T>(flight: Promise<T>, key: string, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new LoadTimeoutError(key, timeoutMs)), timeoutMs);
    timer.unref(); // a waiter's deadline never keeps a process alive
    flight.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

export interface SharedLoadOptions {
  ttlSeconds: number;
  /** How long a caller waits for a shared load; default: as long as it takes. */
  timeoutMs?: number;
  onCacheError?: (error: unknown) => void;
}

/**
 * Cache-aside in which concurrent misses of one key cost one load. The load
 * looks in Redis once more before it asks the loader: a caller whose miss was
 * read just before the previous load wrote its value finds it there.
 */
export async function getOrLoadShared<T>(
  redis: Redis,
  flight: SingleFlight,
  key: string,
  loader: () => Promise<T>,
  { ttlSeconds, timeoutMs, onCacheError = () => {} }: SharedLoadOptions,
): Promise<T> {
  assertKey(key, 'getOrLoadShared');
  assertTtl(ttlSeconds, 'getOrLoadShared');
  const cached = await readOrMiss<T>(redis, key, onCacheError);
  if (cached.hit) return cached.value;
  return flight.run(
    key,
    async () => {
      const again = await readOrMiss<T>(redis, key, onCacheError);
      if (again.hit) return again.value;
      const value = await loader();
      await writeOrReport(redis, key, value, ttlSeconds, onCacheError);
      return value;
    },
    timeoutMs,
  );
}
