/**
 * The bonus, step 2: the LRU of lru-cache.ts again, laid out the way
 * lru-cache (the npm package) lays it out, to spend about half the memory per
 * entry.
 *
 * Every entry gets a slot from a SlotList (step 1), which keeps the order of
 * use. Its key and value sit in two arrays at that slot, and a Map goes from
 * key to slot. No object per entry: a hit rewrites a few integers, and a full
 * cache hands the evicted entry's slot to the new one.
 */
import { SlotList } from '../../provided/slot-list.js';
import type { LruCacheOptions } from './lru-cache.js';

export class IndexedLruCache<K, V> {
  readonly max: number;
  readonly #onEvict?: (key: K, value: V) => void;
  readonly #slots = new Map<K, number>();
  readonly #list: SlotList;
  readonly #keys: Array<K | undefined>;
  readonly #values: Array<V | undefined>;

  constructor({ max, onEvict }: LruCacheOptions<K, V>) {
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`IndexedLruCache: max must be a positive integer, got ${String(max)}`);
    }
    this.max = max;
    this.#onEvict = onEvict;
    this.#list = new SlotList(max);
    // Filled with undefined, not left with holes: V8 keeps a holey array in a slower mode.
    this.#keys = new Array<K | undefined>(max).fill(undefined);
    this.#values = new Array<V | undefined>(max).fill(undefined);
  }

  get size(): number {
    return this.#slots.size;
  }

  /** The value, and the key becomes the most recently used. */
  get(key: K): V | undefined {
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    this.#list.use(slot);
    return this.#values[slot];
  }

  /** The value, without touching its place in the order. */
  peek(key: K): V | undefined {
    const slot = this.#slots.get(key);
    return slot === undefined ? undefined : this.#values[slot];
  }

  /** Whether the key is cached; does not count as a use. */
  has(key: K): boolean {
    return this.#slots.has(key);
  }

  /** Stores the value as the most recently used; a new key in a full cache takes the least recently used one's slot. */
  set(key: K, value: V): this {
    const held = this.#slots.get(key);
    if (held !== undefined) {
      this.#values[held] = value;
      this.#list.use(held);
    } else if (this.#slots.size < this.max) {
      this.#store(this.#list.add(), key, value);
    } else {
      this.#replaceOldest(key, value);
    }
    return this;
  }

  /** Frees the key's slot for a later set(). */
  delete(key: K): boolean {
    const slot = this.#slots.get(key);
    if (slot === undefined) return false;
    this.#slots.delete(key);
    this.#list.free(slot);
    this.#keys[slot] = this.#values[slot] = undefined; // let the collector have them
    return true;
  }

  clear(): void {
    this.#slots.clear();
    this.#list.clear();
    this.#keys.fill(undefined);
    this.#values.fill(undefined);
  }

  /** Keys from the least to the most recently used. */
  *keys(): IterableIterator<K> {
    for (const slot of this.#list.fromOldest()) yield this.#keys[slot] as K;
  }

  /** As in LruCache: the new entry is in and the old one out before onEvict runs, since it may write to this cache or throw. */
  #replaceOldest(key: K, value: V): void {
    const slot = this.#list.oldest;
    const evictedKey = this.#keys[slot] as K;
    const evictedValue = this.#values[slot] as V;
    this.#slots.delete(evictedKey);
    this.#store(slot, key, value);
    this.#list.use(slot);
    this.#onEvict?.(evictedKey, evictedValue);
  }

  #store(slot: number, key: K, value: V): void {
    this.#keys[slot] = key;
    this.#values[slot] = value;
    this.#slots.set(key, slot);
  }
}
