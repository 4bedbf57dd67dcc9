/**
 * Exercise 5 of 5: priorities in memory, where the cache can read them.
 *
 * Below, the priority is kept next to the value and never read, as in the
 * source, and every entry counts 1 whatever its weight. Make the cache evict
 * the lowest priority first (the least recently used within a priority) and
 * bound the total weight. State in a comment what each operation costs.
 */
import { LruCache } from '../../provided/lru-cache.js';

export const MIN_PRIORITY = 1;
export const MAX_PRIORITY = 10;
export const DEFAULT_PRIORITY = 5;

export interface PriorityCacheOptions<K, V> {
  /** The bound on the total weight, a positive integer. With every weight 1 (the default), a bound on the count. */
  maxWeight: number;
  /** Told about every entry evicted to make room (not about delete()). */
  onEvict?: (key: K, value: V, priority: number) => void;
}

export interface SetOptions {
  /** 1 (evicted first) to 10 (evicted last); 5 by default. */
  priority?: number;
  /** What the entry counts against maxWeight, a positive integer (bytes, rows…); 1 by default. */
  weight?: number;
}

export class PriorityCache<K, V> {
  readonly maxWeight: number;
  // TODO: one LRU that ignores the priority it stores, as the source's Redis does.
  readonly #lru: LruCache<K, { value: V; priority: number }>;

  constructor({ maxWeight, onEvict }: PriorityCacheOptions<K, V>) {
    this.maxWeight = maxWeight;
    this.#lru = new LruCache({ max: maxWeight, onEvict: (key, entry) => onEvict?.(key, entry.value, entry.priority) });
  }

  get size(): number {
    return this.#lru.size;
  }

  /** The total weight of the entries. TODO: weights. */
  get weight(): number {
    return this.#lru.size;
  }

  /** The value, and the entry becomes the most recently used of its priority. */
  get(key: K): V | undefined {
    return this.#lru.get(key)?.value;
  }

  has(key: K): boolean {
    return this.#lru.has(key);
  }

  /** Stores the entry, then evicts lowest priority first until the weight fits; false when it was not kept. */
  set(key: K, value: V, { priority = DEFAULT_PRIORITY }: SetOptions = {}): boolean {
    this.#lru.set(key, { value, priority });
    return true;
  }

  delete(key: K): boolean {
    return this.#lru.delete(key);
  }
}
