/**
 * A bounded cache that evicts the least recently used entry, like
 * functools.lru_cache's store (source 2.1) and cachetools' LRUCache (2.4).
 *
 * A Map iterates in insertion order. Deleting a key and setting it again moves
 * it to the end, so the end is the most recently used and the first key is the
 * one to evict. Every operation is O(1); no list to walk, no timestamps.
 */
export interface LruCacheOptions<K, V> {
  /** How many entries it holds before it evicts. A positive integer. */
  max: number;
  /** Called for every entry evicted to make room (not for delete() or clear()). */
  onEvict?: (key: K, value: V) => void;
}

export class LruCache<K, V> {
  readonly max: number;
  readonly #onEvict?: (key: K, value: V) => void;
  readonly #entries = new Map<K, V>();

  constructor({ max, onEvict }: LruCacheOptions<K, V>) {
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`LruCache: max must be a positive integer, got ${String(max)}`);
    }
    this.max = max;
    this.#onEvict = onEvict;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The value, and the key becomes the most recently used. */
  get(key: K): V | undefined {
    if (!this.#entries.has(key)) return undefined;
    const value = this.#entries.get(key) as V;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** The value, without touching its place in the order. */
  peek(key: K): V | undefined {
    return this.#entries.get(key);
  }

  /** Whether the key is cached; does not count as a use. */
  has(key: K): boolean {
    return this.#entries.has(key);
  }

  set(key: K, value: V): this {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.max) {
      const [oldestKey, oldestValue] = this.#entries.entries().next().value as [K, V];
      this.#entries.delete(oldestKey);
      this.#onEvict?.(oldestKey, oldestValue);
    }
    return this;
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  /** Keys from the least to the most recently used. */
  keys(): IterableIterator<K> {
    return this.#entries.keys();
  }
}
