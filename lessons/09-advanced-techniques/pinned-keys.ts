/**
 * Exercise 4 of 5: priorities that Redis's eviction honours (source 9.3).
 *
 * Below is the source's cache_set_priority: the priority is written into the
 * value, next to a timestamp. Redis never reads a value when it evicts. Make
 * pin() write what a volatile-* policy does read, and bound the pinned
 * entries yourself, since Redis no longer will.
 */
import type { Redis } from 'ioredis';
import type { CacheRead } from '../../provided/json-cache.js';
import { todo } from '../../provided/todo.js';

export interface PinnedCacheOptions {
  /** The most pinned entries there may be; pinning one more deletes the oldest. */
  maxPinned: number;
  /** Orders the pins; Date.now by default. */
  now?: () => number;
}

export class PinnedCache {
  readonly maxPinned: number;

  constructor(
    readonly redis: Redis,
    readonly prefix: string,
    { maxPinned }: PinnedCacheOptions,
  ) {
    // TODO: check maxPinned; keep the clock.
    this.maxPinned = maxPinned;
  }

  /** An ordinary entry: it has a TTL, so a volatile-* policy may evict it under memory pressure. */
  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    await this.#setWithPriority(key, value, 5, ttlSeconds);
  }

  /** An entry that must survive memory pressure. TODO: no TTL, and counted against maxPinned. */
  async pin(key: string, value: unknown): Promise<void> {
    await this.#setWithPriority(key, value, 10, 300);
  }

  async get<T>(key: string): Promise<CacheRead<T>> {
    const cached = await this.redis.get(this.keyFor(key));
    if (cached === null) return { hit: false };
    return { hit: true, value: (JSON.parse(cached) as { value: T }).value };
  }

  /** The keys pinned now, oldest pin first. */
  async pinned(): Promise<string[]> {
    return todo('09-advanced-techniques', 'PinnedCache.pinned(), from an index of the pins');
  }

  /** Where an entry lives. */
  keyFor(key: string): string {
    return `${this.prefix}${key}`;
  }

  // The source's cache_set_priority, as it is.
  async #setWithPriority(key: string, value: unknown, priority: number, ttlSeconds: number): Promise<void> {
    const cacheData = { value, priority, timestamp: new Date().toISOString() };
    await this.redis.setex(this.keyFor(key), ttlSeconds, JSON.stringify(cacheData));
  }
}
