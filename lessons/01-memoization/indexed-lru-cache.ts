/**
 * Bonus, step 2: the LRU of lru-cache.ts again, with the same API and the
 * same specs, laid out the way the lru-cache package does it so that an entry
 * costs about half the memory. O(1) per operation.
 *
 * No object per entry: each entry gets a slot from a SlotList (step 1, given
 * in provided/slot-list.ts), which keeps the order of use. Its key and value
 * live at that slot in two arrays; a Map goes from key to slot. The README's
 * section 6 says what that saves.
 */
import { SlotList } from '../../provided/slot-list.js';
import { todo } from '../../provided/todo.js';
import type { LruCacheOptions } from './lru-cache.js';

export class IndexedLruCache<K, V> {
  readonly max: number;

  constructor(options: LruCacheOptions<K, V>) {
    // TODO: check max (a RangeError for 0, 1.5, NaN), keep onEvict, and make a
    // SlotList(max), a Map from key to slot, and two arrays of max for keys and values.
    this.max = options.max;
    todo('01-memoization', 'IndexedLruCache');
  }

  get size(): number {
    return todo('01-memoization', 'IndexedLruCache.size');
  }

  /** The value, and the key becomes the most recently used. */
  get(key: K): V | undefined {
    return todo('01-memoization', 'IndexedLruCache.get');
  }

  /** The value, without touching its place in the order. */
  peek(key: K): V | undefined {
    return todo('01-memoization', 'IndexedLruCache.peek');
  }

  /** Whether the key is cached; does not count as a use. */
  has(key: K): boolean {
    return todo('01-memoization', 'IndexedLruCache.has');
  }

  /** Stores the value as the most recently used; a new key in a full cache takes the least recently used one's slot. */
  set(key: K, value: V): this {
    return todo('01-memoization', 'IndexedLruCache.set');
  }

  /** Frees the key's slot for a later set(). */
  delete(key: K): boolean {
    return todo('01-memoization', 'IndexedLruCache.delete');
  }

  clear(): void {
    todo('01-memoization', 'IndexedLruCache.clear');
  }

  /** Keys from the least to the most recently used. */
  keys(): IterableIterator<K> {
    return todo('01-memoization', 'IndexedLruCache.keys');
  }
}
