/**
 * Exercise 1 of 4: cachetools' TTLCache (source 2.4). At most `maxSize`
 * entries, each forgotten `ttlMs` after it was written, the least recently
 * used evicted first when full.
 *
 * You are given lesson 01's LruCache: keep { value, expiresAt } in one and
 * let it do the order and the bound, so this class only adds time.
 */
import { LruCache } from '../../provided/lru-cache.js';
import { todo } from '../../provided/todo.js';

export interface TtlCacheOptions {
  /** How many entries it holds before it evicts. A positive integer. */
  maxSize: number;
  /** How long an entry lives after set(), in milliseconds, unless set() says otherwise. */
  ttlMs: number;
  /** The clock, in milliseconds. Default: performance.now(), which never jumps (Date.now() does). */
  now?: () => number;
}

export class TtlCache<K, V> {
  readonly maxSize: number;
  readonly ttlMs: number;

  constructor(options: TtlCacheOptions) {
    // TODO: check maxSize and ttlMs (a RangeError naming them for 0, -5, NaN), keep the
    // clock, and make an LruCache<K, { value: V; expiresAt: number }> with max: maxSize.
    this.maxSize = options.maxSize;
    this.ttlMs = options.ttlMs;
    todo('02-ttl-caches', 'TtlCache');
  }

  /** Entries held, expired ones included until something drops them. */
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

  /** Stores the value for `ttlMs` (this entry's own, or the cache's); drops expired entries it finds at the cold end. */
  set(key: K, value: V, options: { ttlMs?: number } = {}): this {
    return todo('02-ttl-caches', 'TtlCache.set');
  }

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
