/**
 * Exercise 5: the library way, lru-cache. Each function returns an
 * LRUCache configured for one job; the README lists the options you need.
 */
import { LRUCache } from 'lru-cache';
import { todo } from '../../provided/todo.js';

export interface Clock {
  /** Milliseconds; leave it out in production (lru-cache uses performance.now()), pass () => Date.now() under fake timers. */
  now?: () => number;
}

/** `max` entries, each forgotten `ttlMs` after it was written. */
export function createTtlCache<K extends {}, V extends {}>({ max, ttlMs, now }: { max: number; ttlMs: number } & Clock): LRUCache<K, V> {
  // TODO: this is how most examples write it, and under vi.useFakeTimers() it never
  // expires anything. The spec's first three tests show why; give it the clock.
  // Then the numbers lru-cache reads as "no limit": positive() below refuses a
  // ttl or max of 0; and a clock that reads 0 when an entry is written (the
  // README's Deeper section).
  return new LRUCache<K, V>({ max, ttl: ttlMs });
}

/** Bounded by UTF-8 bytes of key plus value, not by count; refuses an entry bigger than the budget. */
export function createByteBudgetCache({ maxBytes, ttlMs, now }: { maxBytes: number; ttlMs: number } & Clock): LRUCache<string, string> {
  // TODO: maxSize and sizeCalculation (careful: lru-cache throws on a size of 0).
  return todo('02-ttl-caches', 'createByteBudgetCache');
}

/** cache.fetch(key) loads through `load`: one load per key at a time, failures not cached, stale served while reloading. */
export function createLoadingCache<K extends {}, V extends {}>(
  load: (key: K, signal: AbortSignal) => Promise<V>,
  { max, ttlMs, now, onReloadError }: { max: number; ttlMs: number; onReloadError?: (error: unknown, key: K) => void } & Clock,
): LRUCache<K, V> {
  // TODO: fetchMethod and allowStale.
  return todo('02-ttl-caches', 'createLoadingCache');
}

/** Given: lru-cache reads 0 (and NaN) as "no limit"; refuse them, and anything it would not take, at the call. */
function positive(name: string, value: number): number {
  if (!(Number.isSafeInteger(value) && value > 0)) {
    throw new RangeError(`${name} must be a positive whole number (lru-cache reads 0 as "no limit"), got ${String(value)}`);
  }
  return value;
}
