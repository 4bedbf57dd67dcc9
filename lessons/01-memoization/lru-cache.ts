/**
 * Exercise 4: a bounded cache that evicts the least recently used entry, the
 * store behind functools.lru_cache (source 2.1). O(1) per operation: a Map
 * finds a key's node, and a doubly linked list of the nodes keeps the order
 * of use (the README's section 4).
 */
import { todo } from '../../provided/todo.js';

export interface LruCacheOptions<K, V> {
  /** How many entries it holds before it evicts. A positive integer. */
  max: number;
  /**
   * Called for every entry evicted to make room (not for delete() or clear()),
   * once the new entry is in and the old one out: it may write to the cache,
   * and if it throws, set() throws with the new entry stored.
   */
  onEvict?: (key: K, value: V) => void;
}

/**
 * An entry, linked to its neighbours in the order of use (yours to use, or
 * not). Both links are always set if the list is a ring through one extra
 * node that holds no entry (the README's section 4 says why that helps).
 */
export interface Node<K, V> {
  key: K;
  value: V;
  /** Towards the newest end. */
  newer: Node<K, V>;
  /** Towards the oldest end, the one evicted first. */
  older: Node<K, V>;
}

export class LruCache<K, V> {
  readonly max: number;

  constructor(options: LruCacheOptions<K, V>) {
    // TODO: check max (a RangeError for 0, 1.5, NaN), keep the options, and choose a store.
    this.max = options.max;
    todo('01-memoization', 'LruCache');
  }

  get size(): number {
    return todo('01-memoization', 'LruCache.size');
  }

  /** The value, and the key becomes the most recently used. */
  get(key: K): V | undefined {
    return todo('01-memoization', 'LruCache.get');
  }

  /** The value, without touching its place in the order. */
  peek(key: K): V | undefined {
    return todo('01-memoization', 'LruCache.peek');
  }

  /** Whether the key is cached; does not count as a use. */
  has(key: K): boolean {
    return todo('01-memoization', 'LruCache.has');
  }

  /** Stores the value as the most recently used; evicts the least recently used when full. */
  set(key: K, value: V): this {
    return todo('01-memoization', 'LruCache.set');
  }

  delete(key: K): boolean {
    return todo('01-memoization', 'LruCache.delete');
  }

  clear(): void {
    todo('01-memoization', 'LruCache.clear');
  }

  /** Keys from the least to the most recently used. */
  keys(): IterableIterator<K> {
    return todo('01-memoization', 'LruCache.keys');
  }
}
