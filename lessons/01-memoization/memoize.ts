/**
 * Exercise 2 of 4: Python's @cache (source 2.2).
 *
 * This is the source's logic as most tutorials write it, and it has three bugs.
 * The tests name them; the README explains them.
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
    // TODO: `if (cached)` is the source's `if cached_data:`. Which results does it miss?
    const cached = store.get(key);
    if (cached) return cached;

    const result = fn.apply(this, args);
    store.set(key, result);
    // TODO: a rejected promise stays cached forever. Forget it when it rejects.
    return result;
  };
}
