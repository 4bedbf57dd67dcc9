/**
 * A bounded cache that evicts the least recently used entry, like
 * functools.lru_cache's store (source 2.1) and cachetools' LRUCache (2.4).
 *
 * Two structures, each doing what it is good at, every operation O(1):
 * - a Map finds a key's node;
 * - a doubly linked list of the nodes keeps the order of use: the newest at
 *   one end, the next to evict at the other. A use unlinks a node and relinks
 *   it at the newest end: four pointers, nothing searched, nothing copied.
 *
 * A full cache hands the evicted node to the new key instead of making a new
 * one: once full, a cache that keeps missing allocates nothing, and the
 * garbage collector has nothing to collect (lru-cache reuses its slots so).
 */
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

/** An entry, linked to its neighbours in the order of use. */
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
  readonly #onEvict?: (key: K, value: V) => void;
  readonly #nodes = new Map<K, Node<K, V>>();
  /**
   * The list is a ring through this node, which holds no entry: its newer
   * neighbour is the oldest entry, its older neighbour the newest. With it,
   * every node always has two neighbours, and linking needs no special case
   * for an end (functools.lru_cache's list is such a ring, around its "root").
   */
  readonly #ring = { key: undefined, value: undefined, newer: undefined, older: undefined } as unknown as Node<K, V>;

  constructor({ max, onEvict }: LruCacheOptions<K, V>) {
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`LruCache: max must be a positive integer, got ${String(max)}`);
    }
    this.max = max;
    this.#onEvict = onEvict;
    this.#ring.newer = this.#ring.older = this.#ring;
  }

  get size(): number {
    return this.#nodes.size;
  }

  /** The value, and the key becomes the most recently used. */
  get(key: K): V | undefined {
    const node = this.#nodes.get(key);
    if (node === undefined) return undefined;
    this.#makeNewest(node);
    return node.value;
  }

  /** The value, without touching its place in the order. */
  peek(key: K): V | undefined {
    return this.#nodes.get(key)?.value;
  }

  /** Whether the key is cached; does not count as a use. */
  has(key: K): boolean {
    return this.#nodes.has(key);
  }

  /** Stores the value as the most recently used; a new key in a full cache takes the least recently used one's node. */
  set(key: K, value: V): this {
    const held = this.#nodes.get(key);
    if (held !== undefined) {
      held.value = value;
      this.#makeNewest(held);
    } else if (this.#nodes.size < this.max) {
      const node: Node<K, V> = { key, value, newer: this.#ring, older: this.#ring };
      this.#nodes.set(key, node);
      this.#linkAsNewest(node);
    } else {
      this.#replaceOldest(key, value);
    }
    return this;
  }

  delete(key: K): boolean {
    const node = this.#nodes.get(key);
    if (node === undefined) return false;
    this.#unlink(node);
    return this.#nodes.delete(key);
  }

  clear(): void {
    this.#nodes.clear();
    this.#ring.newer = this.#ring.older = this.#ring;
  }

  /** Keys from the least to the most recently used. */
  *keys(): IterableIterator<K> {
    for (let node = this.#ring.newer; node !== this.#ring; node = node.newer) yield node.key;
  }

  /**
   * The evicted entry's node becomes the new key's. onEvict is someone else's
   * code, which may write to this cache or throw: it runs last, when the new
   * entry is in and the old one out, so that either way it finds (and leaves)
   * a cache of max entries.
   */
  #replaceOldest(key: K, value: V): void {
    const node = this.#ring.newer;
    const evictedKey = node.key;
    const evictedValue = node.value;
    this.#nodes.delete(evictedKey);
    node.key = key;
    node.value = value;
    this.#nodes.set(key, node);
    this.#makeNewest(node);
    this.#onEvict?.(evictedKey, evictedValue);
  }

  #makeNewest(node: Node<K, V>): void {
    this.#unlink(node);
    this.#linkAsNewest(node);
  }

  /** Between the newest entry and the ring's node. */
  #linkAsNewest(node: Node<K, V>): void {
    node.older = this.#ring.older;
    node.newer = this.#ring;
    this.#ring.older.newer = node;
    this.#ring.older = node;
  }

  #unlink(node: Node<K, V>): void {
    node.older.newer = node.newer;
    node.newer.older = node.older;
  }
}
