/**
 * The library way: lru-cache, the LRU behind npm itself. What you built in
 * ttl-cache.ts is its `max` and `ttl`; it adds a memory budget, stale reads
 * and a loader that calls the origin once per key however many ask.
 *
 * One trap when you test it: lru-cache takes its clock, the real
 * `performance`, when it is first imported, so vi.useFakeTimers() never moves
 * it and nothing expires. Give it a clock to read: `perf: { now }`.
 */
import { LRUCache } from 'lru-cache';

export interface Clock {
  /** Milliseconds; leave it out in production (lru-cache uses performance.now()), pass () => Date.now() under fake timers. */
  now?: () => number;
}

/** `max` entries, each forgotten `ttlMs` after it was written. */
export function createTtlCache<K extends {}, V extends {}>({ max, ttlMs, now }: { max: number; ttlMs: number } & Clock): LRUCache<K, V> {
  return new LRUCache<K, V>({ max, ttl: ttlMs, ...(now && { perf: { now } }) });
}

/**
 * Bounded by bytes rather than by count: one 5 MB report and ten thousand
 * 50-byte flags do not weigh the same. lru-cache evicts until the new entry
 * fits, and refuses an entry bigger than the whole budget.
 */
export function createByteBudgetCache({ maxBytes, ttlMs, now }: { maxBytes: number; ttlMs: number } & Clock): LRUCache<string, string> {
  return new LRUCache<string, string>({
    maxSize: maxBytes,
    // UTF-8 bytes, not characters ('é' is 2). lru-cache throws on a size of 0, so an empty string weighs 1.
    sizeCalculation: (value, key) => Math.max(1, Buffer.byteLength(key) + Buffer.byteLength(value)),
    ttl: ttlMs,
    ...(now && { perf: { now } }),
  });
}

/**
 * cache.fetch(key) loads through `load` on a miss: concurrent fetches of one
 * key share one load, a failed load is not cached, and once an entry is past
 * its TTL fetch() answers with the stale value at once while it reloads in
 * the background (stale-while-revalidate).
 */
export function createLoadingCache<K extends {}, V extends {}>(
  load: (key: K, signal: AbortSignal) => Promise<V>,
  { max, ttlMs, now }: { max: number; ttlMs: number } & Clock,
): LRUCache<K, V> {
  return new LRUCache<K, V>({
    max,
    ttl: ttlMs,
    allowStale: true,
    fetchMethod: (key, _stale, { signal }) => load(key, signal),
    ...(now && { perf: { now } }),
  });
}
