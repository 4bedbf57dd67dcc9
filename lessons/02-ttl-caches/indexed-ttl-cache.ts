/**
 * Bonus: TtlCache again, with the same API and the same specs, laid out the
 * way lru-cache lays out { max, ttl }, so that it keeps up with it in speed
 * and in memory (npm run bench lru-ttl).
 *
 * No object per entry: each entry gets a slot from lesson 01's SlotList (given
 * in provided/slot-list.ts), which keeps the order of use. Its key, its value
 * and its expiry time live at that slot in three arrays, the times in a
 * Float64Array; a Map goes from key to slot. The rules are TtlCache's. The
 * README's bonus section says what that saves.
 */
import { coarseClock } from '../../provided/coarse-clock.js';
import { SlotList } from '../../provided/slot-list.js';
import { todo } from '../../provided/todo.js';
import type { TtlCacheOptions } from './ttl-cache.js';

export class IndexedTtlCache<K, V> {
  readonly maxSize: number;
  readonly ttlMs: number;

  constructor(options: TtlCacheOptions) {
    // TODO: check maxSize and ttlMs (checkMaxSize and checkTtl below), keep the
    // clock (coarseClock() by default), and make a SlotList(maxSize), a Map from
    // key to slot, two arrays of maxSize for keys and values and a Float64Array
    // for the expiry times.
    this.maxSize = options.maxSize;
    this.ttlMs = options.ttlMs;
    todo('02-ttl-caches', 'IndexedTtlCache');
  }

  /** Live entries: an expired one is not counted. */
  get size(): number {
    return todo('02-ttl-caches', 'IndexedTtlCache.size');
  }

  /** The value if it has not expired, and the key becomes the most recently used. */
  get(key: K): V | undefined {
    return todo('02-ttl-caches', 'IndexedTtlCache.get');
  }

  /** The value if it has not expired, without counting as a use. */
  peek(key: K): V | undefined {
    return todo('02-ttl-caches', 'IndexedTtlCache.peek');
  }

  /** Whether a live entry is there; does not count as a use. */
  has(key: K): boolean {
    return todo('02-ttl-caches', 'IndexedTtlCache.has');
  }

  /** Stores the value for `ttlMs` (this entry's own, or the cache's) as the most recently used. */
  set(key: K, value: V, options?: { ttlMs?: number }): this {
    return todo('02-ttl-caches', 'IndexedTtlCache.set');
  }

  /** Removes the key; true only if a live entry was there. */
  delete(key: K): boolean {
    return todo('02-ttl-caches', 'IndexedTtlCache.delete');
  }

  clear(): void {
    todo('02-ttl-caches', 'IndexedTtlCache.clear');
  }

  /** Milliseconds the key has left, or undefined if it is missing or expired. */
  remainingTtl(key: K): number | undefined {
    return todo('02-ttl-caches', 'IndexedTtlCache.remainingTtl');
  }

  /** Removes every expired entry and returns them as [key, value] pairs. */
  expire(): Array<[K, V]> {
    return todo('02-ttl-caches', 'IndexedTtlCache.expire');
  }
}

/** Given: the checks of the numbers (the constructor needs both, set() the second). */
function checkMaxSize(maxSize: number): void {
  if (!Number.isInteger(maxSize) || maxSize < 1) {
    throw new RangeError(`IndexedTtlCache: maxSize must be a positive integer, got ${String(maxSize)}`);
  }
}

function checkTtl(ttlMs: number): void {
  if (!(ttlMs > 0 && Number.isFinite(ttlMs))) {
    throw new RangeError(`IndexedTtlCache: ttlMs must be a positive, finite number of milliseconds, got ${String(ttlMs)}`);
  }
}
