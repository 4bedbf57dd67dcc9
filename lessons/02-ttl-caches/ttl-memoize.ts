/**
 * Exercise 3: the source's @cached_with_ttl (2.3).
 *
 * This is the source's decorator line for line, and `npm run lesson 2` shows
 * what it gets wrong: results shared between functions, colliding keys, a
 * memory that only grows, and a wall clock. Rebuild it on a TtlCache (yours,
 * or the one in provided/ttl-cache.ts) and provided/cache-key.ts.
 */
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

// TODO: cache_data and cache_timestamps live at module level in the source,
// shared by every function it decorates. Give each memoized function its own
// TtlCache<string, Result> instead.
const cacheData = new Map<string, unknown>();
const cacheTimestamps = new Map<string, number>();

export function ttlMemoize<Args extends unknown[], Result>(
  fn: (...args: Args) => Result,
  { ttlMs, max }: TtlMemoizeOptions,
): TtlMemoized<Args, Result> {
  function wrapper(this: unknown, ...args: Args): Result {
    // TODO: str(args) + str(kwargs) collides; use cacheKey() from provided/, with `this` (a method's receiver)
    const cacheKey = String(args);
    if (cacheData.has(cacheKey)) {
      const timestamp = cacheTimestamps.get(cacheKey) as number;
      // TODO: Date.now() is datetime.now(), a wall clock; read options.now, or performance.now().
      if (Date.now() - timestamp < ttlMs) return cacheData.get(cacheKey) as Result;
    }
    const result = fn.apply(this, args);
    cacheData.set(cacheKey, result); // TODO: nothing ever removes an expired entry
    cacheTimestamps.set(cacheKey, Date.now());
    return result;
  }

  return Object.assign(wrapper, {
    // TODO: count hits and misses; maxSize is `max`.
    cacheInfo: (): TtlCacheInfo => ({ hits: 0, misses: 0, maxSize: max, currSize: cacheData.size }),
    cacheClear(): void {
      cacheData.clear();
      cacheTimestamps.clear();
    },
  });
}
