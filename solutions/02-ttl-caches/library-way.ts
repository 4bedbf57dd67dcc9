/**
 * The library way: lru-cache, the LRU behind npm itself. What you built in
 * ttl-cache.ts is its `max` and `ttl`; it adds a memory budget, stale reads
 * and a loader that calls the origin once per key however many ask.
 *
 * One trap when you test it: lru-cache takes its clock, the real
 * `performance`, when it is first imported, so vi.useFakeTimers() never moves
 * it and nothing expires. Give it a clock to read: `perf: { now }`.
 *
 * And three where lru-cache reads a value as "no limit" that this lesson's own
 * caches refuse: `ttl: 0` (or NaN) is "never expires", `max: 0` beside a `ttl`
 * is "no bound", and an entry written when the clock reads 0 has "no TTL". The
 * wrappers check the numbers at the call, and shift your clock so that it
 * never reads 0.
 */
import { LRUCache } from 'lru-cache';

export interface Clock {
  /** Milliseconds; leave it out in production (lru-cache uses performance.now()), pass () => Date.now() under fake timers. */
  now?: () => number;
}

/** `max` entries, each forgotten `ttlMs` after it was written. */
export function createTtlCache<K extends {}, V extends {}>({ max, ttlMs, now }: { max: number; ttlMs: number } & Clock): LRUCache<K, V> {
  return new ExpiringLRUCache<K, V>({ max: positive('max', max), ttl: positive('ttlMs', ttlMs), ...clock(now) });
}

/**
 * Bounded by bytes rather than by count: one 5 MB report and ten thousand
 * 50-byte flags do not weigh the same. lru-cache evicts until the new entry
 * fits, and refuses an entry bigger than the whole budget.
 */
export function createByteBudgetCache({ maxBytes, ttlMs, now }: { maxBytes: number; ttlMs: number } & Clock): LRUCache<string, string> {
  return new ExpiringLRUCache<string, string>({
    maxSize: positive('maxBytes', maxBytes),
    // UTF-8 bytes, not characters ('é' is 2). lru-cache throws on a size of 0, so an empty string weighs 1.
    sizeCalculation: (value, key) => Math.max(1, Buffer.byteLength(key) + Buffer.byteLength(value)),
    ttl: positive('ttlMs', ttlMs),
    ...clock(now),
  });
}

/**
 * cache.fetch(key) loads through `load` on a miss: concurrent fetches of one
 * key share one load, a failed load is not cached, and once an entry is past
 * its TTL fetch() answers with the stale value at once while it reloads in
 * the background (stale-while-revalidate). Only fetch() serves a stale value:
 * get(), peek() and keys() answer for it as for a missing key. A reload that
 * fails keeps the stale value (a read that has a value never fails), and goes
 * to `onReloadError`: nobody else would hear of it.
 */
export function createLoadingCache<K extends {}, V extends {}>(
  load: (key: K, signal: AbortSignal) => Promise<V>,
  { max, ttlMs, now, onReloadError }: { max: number; ttlMs: number; onReloadError?: (error: unknown, key: K) => void } & Clock,
): LRUCache<K, V> {
  return new LoadingLRUCache<K, V>({
    max: positive('max', max),
    ttl: positive('ttlMs', ttlMs),
    fetchMethod: async (key, stale, { signal }) => {
      try {
        return await load(key, signal);
      } catch (error) {
        if (stale !== undefined) onReloadError?.(error, key); // its caller was served the stale value
        throw error;
      }
    },
    ...clock(now),
  });
}

/**
 * lru-cache's has(), get(), peek() and keys() pass over an expired entry, but
 * size, calculatedSize, delete(), getRemainingTTL(), pop(), info() and dump()
 * still see it until something purges it. Here every method answers for an
 * expired entry as for a missing one. (size and calculatedSize purge first:
 * O(size) once something has expired.)
 */
class ExpiringLRUCache<K extends {}, V extends {}> extends LRUCache<K, V> {
  constructor(options: LRUCache.Options<K, V, unknown>) {
    super(options);
    // lru-cache makes getRemainingTTL an own property when it has a ttl, so a method here would never run.
    const remaining = this.getRemainingTTL;
    this.getRemainingTTL = (key) => (this.has(key) ? remaining(key) : 0);
  }

  override get size(): number {
    this.purgeStale();
    return super.size;
  }

  override get calculatedSize(): number {
    this.purgeStale();
    return super.calculatedSize;
  }

  override delete(key: K): boolean {
    const wasLive = this.has(key);
    return super.delete(key) && wasLive;
  }

  override pop(): V | undefined {
    this.purgeStale();
    return super.pop();
  }

  override info(key: K): LRUCache.Entry<V> | undefined {
    return this.has(key) ? super.info(key) : undefined;
  }

  override dump(): Array<[K, LRUCache.Entry<V>]> {
    this.purgeStale();
    return super.dump();
  }
}

/**
 * allowStale for fetch() alone (lru-cache's allowStale option would let get(),
 * peek() and keys() serve stale entries too), and a stale value kept when its
 * reload fails. Only when there is one: without a stale value,
 * allowStaleOnFetchRejection would answer a failed load with undefined.
 */
class LoadingLRUCache<K extends {}, V extends {}> extends ExpiringLRUCache<K, V> {
  override fetch(key: K, options: LRUCache.FetchOptions<K, V, unknown> = {}): Promise<V | undefined> {
    const hasStale = this.peek(key, { allowStale: true }) !== undefined;
    return super.fetch(key, { allowStale: true, allowStaleOnFetchRejection: hasStale, ...options });
  }
}

/** Given in the starter: lru-cache reads 0 (and NaN) as "no limit"; refuse them, and anything it would not take, at the call. */
function positive(name: string, value: number): number {
  if (!(Number.isSafeInteger(value) && value > 0)) {
    throw new RangeError(`${name} must be a positive whole number (lru-cache reads 0 as "no limit"), got ${String(value)}`);
  }
  return value;
}

/**
 * Your clock, shifted to read 1 when the cache is made: lru-cache takes a
 * start time of 0 for "no TTL", so an entry written while a clock that starts
 * at 0 reads 0 would never expire. Only differences count, so the shift is free.
 */
function clock(now: (() => number) | undefined): { perf?: { now: () => number } } {
  if (!now) return {};
  const origin = now() - 1;
  return { perf: { now: () => now() - origin } };
}
