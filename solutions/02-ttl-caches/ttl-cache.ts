/**
 * cachetools' TTLCache (source 2.4): at most `maxSize` entries, each one
 * forgotten `ttlMs` after it was written, the least recently used evicted
 * first when the cache is full.
 *
 * It is lesson 01's LruCache holding { value, expiresAt }: the LRU keeps the
 * order and the bound, this class only adds time. Expiry is lazy, as in
 * cachetools and lru-cache: no timer per entry. An expired entry is absent to
 * every method the moment it expires; it is dropped when it is read, when a
 * write finds it at the cold end of the LRU, or by expire().
 *
 * One rule the LRU alone would break: a live entry is never evicted while an
 * expired one is still held. Expired entries are not always at the cold end
 * (a read moves a live entry up; an entry with a long TTL may be older than
 * ones with short TTLs), so a write that would evict first drops every expired
 * entry: one walk of the cache. Both sweeps wait until the soonest expiry
 * has come, so that the usual write pays for neither.
 */
import { coarseClock } from '../../provided/coarse-clock.js';
import { LruCache } from '../../provided/lru-cache.js';

export interface TtlCacheOptions {
  /** How many entries it holds before it evicts. A positive integer. */
  maxSize: number;
  /** How long an entry lives after set(), in milliseconds, unless set() says otherwise. */
  ttlMs: number;
  /**
   * The clock, in milliseconds; it must only go forward. The default,
   * coarseClock() (exercise 2), is performance.now() read at most once per
   * millisecond: unlike Date.now() (or the source's datetime.now()) it never
   * jumps when the system clock is set back. A clock you pass in is read on
   * every operation, as a test's clock must be.
   */
  now?: () => number;
}

/** What the LRU holds for each key. */
export interface Entry<V> {
  value: V;
  expiresAt: number;
}

export class TtlCache<K, V> {
  readonly maxSize: number;
  readonly ttlMs: number;
  readonly #now: () => number;
  readonly #entries: LruCache<K, Entry<V>>;
  /** No entry expires before this time: a bound (it may be earlier than the real soonest), so that most writes skip the walk. */
  #soonestExpiry = Number.POSITIVE_INFINITY;

  constructor({ maxSize, ttlMs, now = coarseClock() }: TtlCacheOptions) {
    checkMaxSize(maxSize);
    checkTtl(ttlMs);
    this.#entries = new LruCache({ max: maxSize });
    this.maxSize = maxSize;
    this.ttlMs = ttlMs;
    this.#now = now;
  }

  /** Live entries, as cachetools' len() counts them: the expired ones are dropped first. */
  get size(): number {
    this.expire();
    return this.#entries.size;
  }

  /** The value if it has not expired, and the key becomes the most recently used. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key); // one lookup; an expired entry it marks as used is deleted next
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#clock()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** The value if it has not expired, without counting as a use. */
  peek(key: K): V | undefined {
    return this.#live(key)?.value;
  }

  /** Whether a live entry is there; does not count as a use. */
  has(key: K): boolean {
    return this.#live(key) !== undefined;
  }

  /** Stores the value for `ttlMs` (this entry's own, or the cache's) as the most recently used. */
  set(key: K, value: V, options?: { ttlMs?: number }): this {
    const ttlMs = options?.ttlMs ?? this.ttlMs;
    checkTtl(ttlMs);
    const now = this.#clock();
    if (now >= this.#soonestExpiry) {
      this.#dropExpiredAtColdEnd(now);
      // Still full, and a new key would evict: every expired entry goes before a live one.
      if (this.#entries.size === this.maxSize && !this.#entries.has(key)) this.#dropExpired(now);
    }
    const expiresAt = now + ttlMs;
    const held = this.#entries.get(key); // a use, as a write should be
    if (held !== undefined) {
      held.value = value; // an update rewrites the entry it has: nothing for the collector
      held.expiresAt = expiresAt;
    } else this.#entries.set(key, { value, expiresAt });
    this.#soonestExpiry = Math.min(this.#soonestExpiry, expiresAt);
    return this;
  }

  /** Removes the key; true only if a live entry was there (an expired one is as good as missing). */
  delete(key: K): boolean {
    const wasLive = this.has(key);
    return this.#entries.delete(key) && wasLive;
  }

  clear(): void {
    this.#entries.clear();
    this.#soonestExpiry = Number.POSITIVE_INFINITY;
  }

  /** Milliseconds the key has left, or undefined if it is missing or expired. */
  remainingTtl(key: K): number | undefined {
    const entry = this.#entries.peek(key);
    if (entry === undefined) return undefined;
    const left = entry.expiresAt - this.#clock(); // one reading: two could straddle the expiry and answer 0
    return left > 0 ? left : undefined;
  }

  /** Removes every expired entry and returns them, like cachetools' expire(). */
  expire(): Array<[K, V]> {
    return this.#dropExpired(this.#clock());
  }

  /** The key's entry if it has not expired; not a use. */
  #live(key: K): Entry<V> | undefined {
    const entry = this.#entries.peek(key);
    return entry !== undefined && entry.expiresAt > this.#clock() ? entry : undefined;
  }

  /** A clock that reads NaN would make every entry immortal (NaN is never <= anything): refuse it. */
  #clock(): number {
    const now = this.#now();
    if (Number.isNaN(now)) throw new RangeError('TtlCache: the clock (now) returned NaN; it must return milliseconds');
    return now;
  }

  /**
   * Nothing reads an expired entry (a read drops it), so expired entries
   * drift to the least recently used end. Dropping them from there on each
   * write frees their memory at O(1) amortized: each entry goes once.
   */
  #dropExpiredAtColdEnd(now: number): void {
    for (const key of this.#entries.keys()) {
      if (this.#entries.peek(key)!.expiresAt > now) return;
      this.#entries.delete(key); // keys() walks on past a key deleted under it
    }
  }

  /**
   * Drops every expired entry: one walk of the cache, O(size), that also
   * finds the next soonest expiry. Until the soonest expiry has come there is
   * nothing to drop, and the walk is skipped.
   */
  #dropExpired(now: number): Array<[K, V]> {
    const expired: Array<[K, V]> = [];
    if (now < this.#soonestExpiry) return expired;
    let soonest = Number.POSITIVE_INFINITY;
    for (const key of [...this.#entries.keys()]) {
      const entry = this.#entries.peek(key)!;
      if (entry.expiresAt <= now) {
        this.#entries.delete(key);
        expired.push([key, entry.value]);
      } else {
        soonest = Math.min(soonest, entry.expiresAt);
      }
    }
    this.#soonestExpiry = soonest;
    return expired;
  }
}

function checkMaxSize(maxSize: number): void {
  if (!Number.isInteger(maxSize) || maxSize < 1) {
    throw new RangeError(`TtlCache: maxSize must be a positive integer, got ${String(maxSize)}`);
  }
}

function checkTtl(ttlMs: number): void {
  if (!(ttlMs > 0 && Number.isFinite(ttlMs))) {
    throw new RangeError(`TtlCache: ttlMs must be a positive, finite number of milliseconds, got ${String(ttlMs)}`);
  }
}
