/**
 * Python's @cache (source 2.2): remember every result, forever.
 *
 * Three traps the naive version falls into:
 * - `if (cached) return cached` treats 0, '', false and null as misses and
 *   calls the function again every time. Ask the map whether it *has* the key.
 * - An async function returns a promise. Caching the promise (not its value)
 *   makes concurrent callers share one call; but a rejected promise must be
 *   forgotten, or one failure is replayed to every caller forever.
 * - A method reads `this`: `a.area()` and `b.area()` have the same (no)
 *   arguments, so the receiver must be part of the key, as `self` is in Python.
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
    const key = cacheKey(args, this);
    if (store.has(key)) return store.get(key) as Result;

    const result = fn.apply(this, args);
    store.set(key, result);
    if (result instanceof Promise) {
      result.catch(() => {
        // Only forget our own promise: a newer call may already have replaced it.
        if (store.get(key) === result) store.delete(key);
      });
    }
    return result;
  };
}
