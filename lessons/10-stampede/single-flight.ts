/**
 * Exercise 1 of 6: single flight. When a hot key is missing, every request
 * that arrives before the first load finishes queries the database: the
 * stampede. Make concurrent misses of one key share one load.
 *
 * getOrLoadShared below is the source's cache-aside (3.2, 4.1, 7.1), and
 * SingleFlight does not share anything yet. Run `npm run lesson 10`.
 */
import type { Redis } from 'ioredis';
import { assertKey, assertTtl } from '../../provided/json-cache.js';
import { readOrMiss, writeOrReport } from '../../provided/safe-json-cache.js';
import { todo } from '../../provided/todo.js';

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
  /** How many loads are running now. */
  get size(): number {
    return todo('10-stampede', 'SingleFlight.size: how many loads are running');
  }

  /** `load()`'s result, shared by every call for `key` while it runs. */
  async run<T>(key: string, load: () => Promise<T>, timeoutMs = Number.POSITIVE_INFINITY): Promise<T> {
    // TODO: share one running load per key; a waiter with a timeout gets a
    // LoadTimeoutError after timeoutMs instead of waiting forever.
    void key;
    void load;
    void timeoutMs;
    return todo('10-stampede', 'SingleFlight.run: one shared load per key, and a timeout for each waiter');
  }
}

export interface SharedLoadOptions {
  ttlSeconds: number;
  /** How long a caller waits for a shared load; default: as long as it takes. */
  timeoutMs?: number;
  onCacheError?: (error: unknown) => void;
}

/** Cache-aside in which concurrent misses of one key cost one load. */
export async function getOrLoadShared<T>(
  redis: Redis,
  flight: SingleFlight,
  key: string,
  loader: () => Promise<T>,
  { ttlSeconds, onCacheError = () => {} }: SharedLoadOptions,
): Promise<T> {
  assertKey(key, 'getOrLoadShared');
  assertTtl(ttlSeconds, 'getOrLoadShared');
  void flight; // TODO: the load below should go through it
  const cached = await readOrMiss<T>(redis, key, onCacheError);
  if (cached.hit) return cached.value;
  const value = await loader();
  await writeOrReport(redis, key, value, ttlSeconds, onCacheError);
  return value;
}
