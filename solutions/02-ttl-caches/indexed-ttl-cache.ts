/**
 * The bonus: TtlCache again, with the same API and the same specs, laid out
 * the way lru-cache lays out `{ max, ttl }`, to keep up with it in speed and
 * in memory (`npm run bench lru-ttl`).
 *
 * TtlCache costs an LruCache node and an { value, expiresAt } object per
 * entry, and a boxed number for expiresAt: about twice lru-cache's bytes.
 * Here an entry is a slot from lesson 01's SlotList, which keeps the order of
 * use; its key, its value and its expiry time sit at that slot in three
 * arrays, the times in a Float64Array (8 bytes each, no box). A Map goes from
 * key to slot. The rules are TtlCache's, line for line.
 */
import { coarseClock } from '../../provided/coarse-clock.js';
import { SlotList } from '../../provided/slot-list.js';
import type { TtlCacheOptions } from './ttl-cache.js';

export class IndexedTtlCache<K, V> {
  readonly maxSize: number;
  readonly ttlMs: number;
  readonly #now: () => number;
  readonly #slots = new Map<K, number>();
  readonly #list: SlotList;
  readonly #keys: Array<K | undefined>;
  readonly #values: Array<V | undefined>;
  /** expiresAt[slot]: when the entry in that slot expires. */
  readonly #expiresAt: Float64Array;
  /** No entry expires before this time: a bound (it may be earlier than the real soonest), so that most writes skip the walk. */
  #soonestExpiry = Number.POSITIVE_INFINITY;

  constructor({ maxSize, ttlMs, now = coarseClock() }: TtlCacheOptions) {
    checkMaxSize(maxSize);
    checkTtl(ttlMs);
    this.maxSize = maxSize;
    this.ttlMs = ttlMs;
    this.#now = now;
    this.#list = new SlotList(maxSize);
    // Filled with undefined, not left with holes: V8 keeps a holey array in a slower mode.
    this.#keys = new Array<K | undefined>(maxSize).fill(undefined);
    this.#values = new Array<V | undefined>(maxSize).fill(undefined);
    this.#expiresAt = new Float64Array(maxSize);
  }

  /** Live entries: the expired ones are dropped first. */
  get size(): number {
    this.expire();
    return this.#slots.size;
  }

  /** The value if it has not expired, and the key becomes the most recently used. */
  get(key: K): V | undefined {
    const slot = this.#liveSlot(key); // an expired entry is not used: it stays at the cold end, where the next write drops it
    if (slot === undefined) return undefined;
    this.#list.use(slot);
    return this.#values[slot];
  }

  /** The value if it has not expired, without counting as a use. */
  peek(key: K): V | undefined {
    const slot = this.#liveSlot(key);
    return slot === undefined ? undefined : this.#values[slot];
  }

  /** Whether a live entry is there; does not count as a use. */
  has(key: K): boolean {
    return this.#liveSlot(key) !== undefined;
  }

  /** Stores the value for `ttlMs` (this entry's own, or the cache's) as the most recently used. */
  set(key: K, value: V, options?: { ttlMs?: number }): this {
    const ttlMs = options?.ttlMs ?? this.ttlMs;
    checkTtl(ttlMs);
    const now = this.#clock();
    if (now >= this.#soonestExpiry) this.#dropExpiredAtColdEnd(now);
    const expiresAt = now + ttlMs;
    let slot = this.#slots.get(key);
    if (slot === undefined) {
      if (this.#slots.size === this.maxSize) this.#dropExpired(now); // expired entries go before a live one
      if (this.#slots.size < this.maxSize) {
        slot = this.#list.add();
      } else {
        slot = this.#list.oldest; // a full cache hands the least recently used entry's slot to the new key
        this.#slots.delete(this.#keys[slot] as K);
      }
      this.#keys[slot] = key;
      this.#slots.set(key, slot);
    }
    this.#values[slot] = value;
    this.#expiresAt[slot] = expiresAt;
    this.#list.use(slot);
    this.#soonestExpiry = Math.min(this.#soonestExpiry, expiresAt);
    return this;
  }

  /** Removes the key; true only if a live entry was there. */
  delete(key: K): boolean {
    const slot = this.#slots.get(key);
    if (slot === undefined) return false;
    const wasLive = this.#expiresAt[slot] > this.#clock();
    this.#remove(key, slot);
    return wasLive;
  }

  clear(): void {
    this.#slots.clear();
    this.#list.clear();
    this.#keys.fill(undefined);
    this.#values.fill(undefined);
    this.#soonestExpiry = Number.POSITIVE_INFINITY;
  }

  /** Milliseconds the key has left, or undefined if it is missing or expired. */
  remainingTtl(key: K): number | undefined {
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    const left = this.#expiresAt[slot] - this.#clock();
    return left > 0 ? left : undefined;
  }

  /** Removes every expired entry and returns them, like cachetools' expire(). */
  expire(): Array<[K, V]> {
    return this.#dropExpired(this.#clock());
  }

  #liveSlot(key: K): number | undefined {
    const slot = this.#slots.get(key);
    return slot !== undefined && this.#expiresAt[slot] > this.#clock() ? slot : undefined;
  }

  #clock(): number {
    const now = this.#now();
    if (Number.isNaN(now)) throw new RangeError('IndexedTtlCache: the clock (now) returned NaN; it must return milliseconds');
    return now;
  }

  /** Frees the slot for a later set(), and lets the collector have its key and value. */
  #remove(key: K, slot: number): void {
    this.#slots.delete(key);
    this.#list.free(slot);
    this.#keys[slot] = this.#values[slot] = undefined;
  }

  /** As in TtlCache: expired entries drift to the cold end, where each write drops them. */
  #dropExpiredAtColdEnd(now: number): void {
    while (this.#slots.size > 0 && this.#expiresAt[this.#list.oldest] <= now) {
      this.#remove(this.#keys[this.#list.oldest] as K, this.#list.oldest);
    }
  }

  /** TtlCache's walk: every expired entry goes, and the next soonest expiry is found. Skipped until the soonest has come. */
  #dropExpired(now: number): Array<[K, V]> {
    const expired: Array<[K, V]> = [];
    if (now < this.#soonestExpiry) return expired;
    let soonest = Number.POSITIVE_INFINITY;
    for (const slot of [...this.#list.fromOldest()]) {
      if (this.#expiresAt[slot] <= now) {
        const key = this.#keys[slot] as K;
        expired.push([key, this.#values[slot] as V]);
        this.#remove(key, slot);
      } else {
        soonest = Math.min(soonest, this.#expiresAt[slot]);
      }
    }
    this.#soonestExpiry = soonest;
    return expired;
  }
}

function checkMaxSize(maxSize: number): void {
  if (!Number.isInteger(maxSize) || maxSize < 1) {
    throw new RangeError(`IndexedTtlCache: maxSize must be a positive integer, got ${String(maxSize)}`);
  }
}

function checkTtl(ttlMs: number): void {
  if (!(ttlMs > 0 && Number.isFinite(ttlMs))) {
    throw new RangeError(`IndexedTtlCache: ttlMs must be a positive, finite number of milliseconds, got ${String(ttlMs)}`);
  }
}
