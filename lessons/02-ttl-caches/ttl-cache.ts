/**
 * Exercise 1: cachetools' TTLCache (source 2.4). At most `maxSize` entries,
 * each forgotten `ttlMs` after it was written, the least recently used
 * evicted first when full.
 *
 * You are given lesson 01's LruCache: keep an Entry { value, expiresAt } in
 * one and let it do the order and the bound, so that this class only adds
 * time. And a clock: coarseClock() is performance.now(), cheap to read
 * (exercise 2 builds it).
 */
import { coarseClock } from '../../provided/coarse-clock.js';
import { LruCache } from '../../provided/lru-cache.js';
import { todo } from '../../provided/todo.js';

export interface TtlCacheOptions {
  /** How many entries it holds before it evicts. A positive integer. */
  maxSize: number;
  /** How long an entry lives after set(), in milliseconds, unless set() says otherwise. */
  ttlMs: number;
  /** The clock, in milliseconds; it must only go forward. Default: a monotonic one, never Date.now(). */
  now?: () => number;
}

/** What the LRU holds for each key. */
export interface Entry<V> {
  value: V;
  expiresAt: number;
}

export class TtlCache<K, V> {
  readonly maxSize: number;
  readonly ttlMs: number;

  constructor(options: TtlCacheOptions) {
    // TODO: check maxSize and ttlMs (checkMaxSize and checkTtl below), keep the
    // clock (coarseClock() when none is given), and make an LruCache<K, Entry<V>>
    // with max: maxSize.
    this.maxSize = options.maxSize;
    this.ttlMs = options.ttlMs;
    todo('02-ttl-caches', 'TtlCache');
  }

  /** Live entries: an expired one is not counted. */
  get size(): number {
    return todo('02-ttl-caches', 'TtlCache.size');
  }

  /** The value if it has not expired, and the key becomes the most recently used. */
  get(key: K): V | undefined {
    return todo('02-ttl-caches', 'TtlCache.get');
  }

  /** The value if it has not expired, without counting as a use. */
  peek(key: K): V | undefined {
    return todo('02-ttl-caches', 'TtlCache.peek');
  }

  /** Whether a live entry is there; does not count as a use. */
  has(key: K): boolean {
    return todo('02-ttl-caches', 'TtlCache.has');
  }

  /** Stores the value for `ttlMs` (this entry's own, or the cache's) as the most recently used. */
  set(key: K, value: V, options?: { ttlMs?: number }): this {
    return todo('02-ttl-caches', 'TtlCache.set');
  }

  /** Removes the key; true only if a live entry was there. */
  delete(key: K): boolean {
    return todo('02-ttl-caches', 'TtlCache.delete');
  }

  clear(): void {
    todo('02-ttl-caches', 'TtlCache.clear');
  }

  /** Milliseconds the key has left, or undefined if it is missing or expired. */
  remainingTtl(key: K): number | undefined {
    return todo('02-ttl-caches', 'TtlCache.remainingTtl');
  }

  /** Removes every expired entry and returns them as [key, value] pairs, like cachetools' expire(). */
  expire(): Array<[K, V]> {
    return todo('02-ttl-caches', 'TtlCache.expire');
  }
}

/** Given: the checks of the numbers (the constructor needs both, set() the second). */
function checkMaxSize(maxSize: number): void {
  if (!Number.isInteger(maxSize) || maxSize < 1) {
    throw new RangeError(`TtlCache: maxSize must be a positive integer, got ${String(maxSize)}`);
  }
}

function checkTtl(ttlMs: number): void {
  if (!(ttlMs > 0 && Number.isFinite(ttlMs))) {
    throw new RangeError(`TtlCache: ttlMs must be a positive, finite number of milliseconds, got ${String(ttlMs)}`);
  }
}
