/**
 * Python's @lru_cache(maxsize=...) (source 2.1): memoize, but keep only the
 * `max` most recently used results, and count hits and misses the way
 * functools' cache_info() does.
 *
 * Nothing new to write for the caching itself: it is memoize() with an
 * LruCache as its store (both given, from lesson 01's references). The store
 * counts: a has() that finds the key is a hit.
 */
import { LruCache } from '../../provided/lru-cache.js';
import { memoize, type ResultStore } from '../../provided/memoize.js';

export interface CacheInfo {
  hits: number;
  misses: number;
  maxSize: number;
  currSize: number;
}

export type LruMemoized<Args extends unknown[], Result> = ((...args: Args) => Result) & {
  cacheInfo(): CacheInfo;
  /** Forgets every result and resets the counters, like cache_clear(). */
  cacheClear(): void;
};

export function lruMemoize<Args extends unknown[], Result>(
  fn: (...args: Args) => Result,
  { max }: { max: number },
): LruMemoized<Args, Result> {
  const cache = new LruCache<string, Result>({ max });
  let hits = 0;
  let misses = 0;

  const countingStore: ResultStore<Result> = {
    has(key) {
      const found = cache.has(key);
      if (found) hits++;
      else misses++;
      return found;
    },
    get: (key) => cache.get(key), // get() marks the key as recently used
    set: (key, value) => cache.set(key, value),
    delete: (key) => cache.delete(key),
  };

  return Object.assign(memoize(fn, countingStore), {
    cacheInfo: (): CacheInfo => ({ hits, misses, maxSize: max, currSize: cache.size }),
    cacheClear(): void {
      cache.clear();
      hits = 0;
      misses = 0;
    },
  });
}
