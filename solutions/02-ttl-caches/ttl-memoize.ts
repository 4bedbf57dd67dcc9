/**
 * The source's @cached_with_ttl (2.3), done right: remember a result for
 * `ttlMs`, then compute it again.
 *
 * The source keeps every result forever in two module-level dicts shared by
 * every decorated function, keys them with str(args) + str(kwargs), and reads
 * the wall clock. Here each memoized function has its own bounded TtlCache,
 * keys come from lesson 01's cacheKey, and the clock is monotonic (or yours).
 */
import { cacheKey } from '../../provided/cache-key.js';
import { TtlCache } from '../../provided/ttl-cache.js';

export interface TtlMemoizeOptions {
  /** How long a result is reused, in milliseconds. */
  ttlMs: number;
  /** How many results it keeps; the least recently used goes first. */
  max: number;
  /** The clock in milliseconds; performance.now() by default. */
  now?: () => number;
}

export interface TtlCacheInfo {
  hits: number;
  misses: number;
  maxSize: number;
  /** Live results: an expired one is not counted (cachetools' cache_info() counts so too). */
  currSize: number;
}

export type TtlMemoized<Args extends unknown[], Result> = ((...args: Args) => Result) & {
  cacheInfo(): TtlCacheInfo;
  /** Forgets every result and resets the counters. */
  cacheClear(): void;
};

export function ttlMemoize<Args extends unknown[], Result>(
  fn: (...args: Args) => Result,
  { ttlMs, max, now }: TtlMemoizeOptions,
): TtlMemoized<Args, Result> {
  const cache = new TtlCache<string, Result>({ maxSize: max, ttlMs, now });
  let hits = 0;
  let misses = 0;

  function memoized(this: unknown, ...args: Args): Result {
    const key = cacheKey(args, this); // a method's result depends on its receiver too
    // One get, not has() then get(): the clock can move between two calls, and
    // an entry that expires in between would come back as undefined. has() is
    // asked only to tell a cached undefined from a miss.
    const cached = cache.get(key);
    if (cached !== undefined || cache.has(key)) {
      hits++;
      return cached as Result;
    }
    misses++;
    const result = fn.apply(this, args);
    cache.set(key, result);
    if (result instanceof Promise) {
      // A rejection is not a result: forget it (unless a newer call replaced it).
      result.catch(() => {
        if (cache.peek(key) === result) cache.delete(key);
      });
    }
    return result;
  }

  return Object.assign(memoized, {
    cacheInfo: (): TtlCacheInfo => ({ hits, misses, maxSize: max, currSize: cache.size }),
    cacheClear(): void {
      cache.clear();
      hits = 0;
      misses = 0;
    },
  });
}
