/**
 * The bonus: the same LRU as lru-cache.ts, laid out the way lru-cache (the
 * npm package) lays it out, to spend about half the memory per entry.
 *
 * Every entry gets a slot, a number below `max`, once. Its key and value sit in
 * two arrays at that slot, and the recency list is two typed arrays of slot
 * numbers, preallocated to `max`: `newer[slot]` and `older[slot]` are the
 * neighbours. The Map goes from key to slot. No object per entry, so nothing
 * for the garbage collector to trace; a hit rewrites a few integers, and an
 * eviction hands the evicted entry's slot to the new one.
 */
import type { LruCacheOptions } from './lru-cache.js';

export class IndexedLruCache<K, V> {
  readonly max: number;
  readonly #onEvict?: (key: K, value: V) => void;
  readonly #slots = new Map<K, number>();
  readonly #keys: Array<K | undefined>;
  readonly #values: Array<V | undefined>;
  /** newer[slot]: the slot towards the newest end (meaningless at the newest). */
  readonly #newer: Uint32Array;
  /** older[slot]: the slot towards the oldest end, the one evicted first. */
  readonly #older: Uint32Array;
  #newest = 0;
  #oldest = 0;
  /** Slots never used yet start here; below it, the ones delete() gave back wait in #free. */
  #unused = 0;
  readonly #free: number[] = [];

  constructor({ max, onEvict }: LruCacheOptions<K, V>) {
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`IndexedLruCache: max must be a positive integer, got ${String(max)}`);
    }
    this.max = max;
    this.#onEvict = onEvict;
    // Allocated at max and filled with undefined, not holes: V8 keeps a holey array in a slower mode.
    // Stryker disable next-line ArrayDeclaration: observable only as speed and memory
    this.#keys = new Array<K | undefined>(max).fill(undefined);
    // Stryker disable next-line ArrayDeclaration: as above
    this.#values = new Array<V | undefined>(max).fill(undefined);
    this.#newer = new Uint32Array(max);
    this.#older = new Uint32Array(max);
  }

  get size(): number {
    return this.#slots.size;
  }

  /** The value, and the key becomes the most recently used. */
  get(key: K): V | undefined {
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    this.#makeNewest(slot);
    return this.#values[slot];
  }

  /** The value, without touching its place in the order. */
  peek(key: K): V | undefined {
    const slot = this.#slots.get(key);
    // Stryker disable next-line ConditionalExpression: equivalent, values[undefined] is undefined too; the check says what a miss is
    return slot === undefined ? undefined : this.#values[slot];
  }

  /** Whether the key is cached; does not count as a use. */
  has(key: K): boolean {
    return this.#slots.has(key);
  }

  set(key: K, value: V): this {
    const held = this.#slots.get(key);
    if (held !== undefined) {
      this.#values[held] = value;
      this.#makeNewest(held);
      return this;
    }
    if (this.#slots.size === this.max) return this.#replaceOldest(key, value);
    const slot = this.#free.pop() ?? this.#unused++;
    this.#keys[slot] = key;
    this.#values[slot] = value;
    if (this.#slots.size === 0) this.#newest = this.#oldest = slot;
    else this.#linkAsNewest(slot);
    this.#slots.set(key, slot);
    return this;
  }

  delete(key: K): boolean {
    const slot = this.#slots.get(key);
    if (slot === undefined) return false;
    this.#slots.delete(key);
    this.#unlink(slot);
    // Stryker disable next-line AssignmentOperator,ConditionalExpression: observable only as memory (the key and value can be collected)
    this.#keys[slot] = this.#values[slot] = undefined;
    this.#free.push(slot);
    return true;
  }

  clear(): void {
    this.#slots.clear();
    // Stryker disable next-line all: observable only as memory, what clear() lets the collector take
    this.#keys.fill(undefined);
    // Stryker disable next-line all: as above
    this.#values.fill(undefined);
    this.#unused = 0;
    this.#free.length = 0;
  }

  /** Keys from the least to the most recently used. */
  *keys(): IterableIterator<K> {
    let slot = this.#oldest;
    for (let left = this.#slots.size; left > 0; left--) {
      yield this.#keys[slot] as K;
      slot = this.#newer[slot];
    }
  }

  /**
   * A full cache and a new key: the oldest entry gives up its slot. The new
   * entry is in and the old one out before onEvict runs, since onEvict may
   * write to this cache or throw.
   */
  #replaceOldest(key: K, value: V): this {
    const slot = this.#oldest;
    const evictedKey = this.#keys[slot] as K;
    const evictedValue = this.#values[slot] as V;
    this.#slots.delete(evictedKey);
    this.#keys[slot] = key;
    this.#values[slot] = value;
    this.#slots.set(key, slot);
    this.#makeNewest(slot);
    this.#onEvict?.(evictedKey, evictedValue);
    return this;
  }

  #makeNewest(slot: number): void {
    // Stryker disable next-line ConditionalExpression: equivalent, a shortcut; unlinking the newest slot and linking it back gives the same list
    if (slot === this.#newest) return;
    this.#unlink(slot);
    this.#linkAsNewest(slot);
  }

  /** Links a slot at the newest end of a list that is not empty. */
  #linkAsNewest(slot: number): void {
    this.#older[slot] = this.#newest;
    this.#newer[this.#newest] = slot;
    this.#newest = slot;
  }

  /** The neighbours of an end are stale numbers: the ends are moved instead of read through. */
  #unlink(slot: number): void {
    if (slot === this.#oldest) this.#oldest = this.#newer[slot];
    else this.#newer[this.#older[slot]] = this.#newer[slot];
    if (slot === this.#newest) this.#newest = this.#older[slot];
    else this.#older[this.#newer[slot]] = this.#older[slot];
  }
}
