/**
 * Priorities in memory (source 9.3, done where the cache can read them).
 *
 * A bounded cache that, when it is full, evicts from the lowest priority
 * first, and within one priority the least recently used. Entries may weigh
 * more than 1 (bytes, rows…): the bound is on the total weight.
 *
 * One LRU per priority level (lesson 01's LruCache, unbounded here: this class
 * does the bounding). Priorities are whole numbers from 1 to 10, the source's
 * scale, so finding the lowest level that has an entry looks at 10 levels at
 * most: get, set and delete are O(1), and each eviction is O(10) = O(1).
 * (Any number as a priority would need a heap of the levels: O(log n).)
 *
 * A low priority can starve: in a cache full of priority 10, a priority-1
 * entry is evicted as soon as it is set. That is what "priority" promises.
 */
import { LruCache } from '../../provided/lru-cache.js';

export const MIN_PRIORITY = 1;
export const MAX_PRIORITY = 10;
export const DEFAULT_PRIORITY = 5;

export interface PriorityCacheOptions<K, V> {
  /** The bound on the total weight, a positive integer. With every weight 1 (the default), a bound on the count. */
  maxWeight: number;
  /** Told about every entry evicted to make room (not about delete()), once the cache is back within maxWeight. */
  onEvict?: (key: K, value: V, priority: number) => void;
}

export interface SetOptions {
  /** 1 (evicted first) to 10 (evicted last); 5 by default. */
  priority?: number;
  /** What the entry counts against maxWeight, a positive integer (bytes, rows…); 1 by default. */
  weight?: number;
}

interface Entry<V> {
  value: V;
  priority: number;
  weight: number;
}

export class PriorityCache<K, V> {
  readonly maxWeight: number;
  readonly #onEvict?: (key: K, value: V, priority: number) => void;
  /** One LRU per priority level, 1 to 10. */
  readonly #levels = new Map<number, LruCache<K, Entry<V>>>();
  /** Which level each key is in. */
  readonly #priorityOf = new Map<K, number>();
  #weight = 0;

  constructor({ maxWeight, onEvict }: PriorityCacheOptions<K, V>) {
    if (!Number.isSafeInteger(maxWeight) || maxWeight < 1) throw new RangeError(`PriorityCache: maxWeight must be a positive integer, got ${String(maxWeight)}`);
    this.maxWeight = maxWeight;
    this.#onEvict = onEvict;
    for (let p = MIN_PRIORITY; p <= MAX_PRIORITY; p++) this.#levels.set(p, new LruCache({ max: Number.MAX_SAFE_INTEGER }));
  }

  get size(): number {
    return this.#priorityOf.size;
  }

  /** The total weight of the entries. */
  get weight(): number {
    return this.#weight;
  }

  /** The value, and the entry becomes the most recently used of its priority. */
  get(key: K): V | undefined {
    const priority = this.#priorityOf.get(key);
    return priority === undefined ? undefined : this.#levels.get(priority)!.get(key)!.value;
  }

  has(key: K): boolean {
    return this.#priorityOf.has(key);
  }

  /**
   * Stores the entry, then evicts lowest priority first until the weight fits.
   * False when it was not kept: heavier than maxWeight, or itself the lowest.
   */
  set(key: K, value: V, { priority = DEFAULT_PRIORITY, weight = 1 }: SetOptions = {}): boolean {
    if (!Number.isInteger(priority) || priority < MIN_PRIORITY || priority > MAX_PRIORITY) throw new RangeError(`PriorityCache.set: priority must be a whole number from ${MIN_PRIORITY} to ${MAX_PRIORITY}, got ${String(priority)}`);
    // Whole numbers, as lru-cache's sizes: a sum of fractions drifts, and the bound with it.
    if (!Number.isSafeInteger(weight) || weight < 1) throw new RangeError(`PriorityCache.set: weight must be a positive integer, got ${String(weight)}`);
    this.delete(key); // its old value, weight and priority go, whatever happens next
    if (weight > this.maxWeight) return false; // it would evict everything and still not fit
    this.#levels.get(priority)!.set(key, { value, priority, weight });
    this.#priorityOf.set(key, priority);
    this.#weight += weight;
    const evicted: Array<[K, Entry<V>]> = [];
    while (this.#weight > this.maxWeight) evicted.push(this.#evictOne());
    // Told only now, within the bound again: a listener that throws (or sets, or deletes) finds the cache whole.
    for (const [victim, entry] of evicted) this.#onEvict?.(victim, entry.value, entry.priority);
    return this.#priorityOf.has(key);
  }

  delete(key: K): boolean {
    const priority = this.#priorityOf.get(key);
    if (priority === undefined) return false;
    this.#remove(key, priority);
    return true;
  }

  /** Removes the least recently used entry of the lowest priority that has one (over maxWeight, there is one). */
  #evictOne(): [K, Entry<V>] {
    const [priority, level] = [...this.#levels].find(([, entries]) => entries.size > 0)!;
    const oldest = level.keys().next().value as K;
    return [oldest, this.#remove(oldest, priority)];
  }

  #remove(key: K, priority: number): Entry<V> {
    const level = this.#levels.get(priority)!;
    const entry = level.peek(key)!;
    level.delete(key);
    this.#priorityOf.delete(key);
    this.#weight -= entry.weight;
    return entry;
  }
}
