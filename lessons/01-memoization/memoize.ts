/**
 * Exercise 2: Python's @cache (source 2.2).
 *
 * This is a memoizer as most hand-written ones look, and it has three bugs.
 * The specs name them; the README explains them.
 */
import { cacheKey } from './cache-key.js';

/** Where a memoizer keeps results: a Map, or anything that acts like one (lru-memoize.ts passes an LruCache). */
export interface ResultStore<V> {
  has(key: string): boolean;
  get(key: string): V | undefined;
  set(key: string, value: V): unknown;
  delete(key: string): boolean;
}

export function memoize<Args extends unknown[], Result>(
  fn: (...args: Args) => Result,
  store: ResultStore<Result> = new Map(),
): (...args: Args) => Result {
  return function memoized(this: unknown, ...args: Args): Result {
    const key = cacheKey(args); // TODO: a method's result depends on `this` too
    // TODO: `if (cached)` is not `if cache_key in cache_data:` (the source's 2.3). Which results does it miss?
    const cached = store.get(key);
    if (cached) return cached;

    const result = fn.apply(this, args);
    store.set(key, result);
    // TODO: a rejected promise stays cached forever. Forget it when it rejects.
    return result;
  };
}
