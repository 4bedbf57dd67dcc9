/**
 * Exercise 3: Python's @lru_cache(maxsize=...) (source 2.1), with cache_info()
 * and cache_clear(). Build it from two pieces you are given: memoize() (the
 * one you wrote in memoize.ts) and an LruCache as its store (the one you write
 * next, in lru-cache.ts).
 */
import { LruCache } from '../../provided/lru-cache.js';
import { memoize } from '../../provided/memoize.js';
import { todo } from '../../provided/todo.js';

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
  options: { max: number },
): LruMemoized<Args, Result> {
  // TODO: an LruCache as memoize()'s store, counting hits and misses as it is asked.
  return todo('01-memoization', 'lruMemoize');
}
