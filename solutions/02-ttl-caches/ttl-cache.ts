/**
 * cachetools' TTLCache (source 2.4): at most `maxSize` entries, each one
 * forgotten `ttlMs` after it was written, the least recently used evicted
 * first when the cache is full.
 *
 * It is lesson 01's LruCache holding { value, expiresAt }: the LRU keeps the
 * order and the bound, this class only adds time. Expiry is lazy, as in
 * cachetools and lru-cache: an expired entry is dropped when it is read, when
 * a write finds it at the cold end of the LRU, or by expire(). No timer per entry.
 *
 * One rule the LRU alone would break: a live entry is never evicted while an
 * expired one is still held. Expired entries are not always at the cold end
 * (a read moves a live entry up; an entry with a long TTL may be older than
 * ones with short TTLs), so a write that would evict first drops every expired
 * entry.
 *
 * Speed (`npm run bench lru-ttl`): the default clock is read at most once per
 * millisecond, as lru-cache does it (its `ttlResolution`), and a write whose
 * soonest expiry has not come skips every sweep. An injected `now` is read on
 * every operation: a test's clock must be exact.
 */
import { LruCache } from '../../provided/lru-cache.js';

/** How long a reading of the default clock is reused, in milliseconds. */
const CLOCK_RESOLUTION_MS = 1;

export interface TtlCacheOptions {
  /** How many entries it holds before it evicts. A positive integer. */
  maxSize: number;
  /** How long an entry lives after set(), in milliseconds, unless set() says otherwise. */
  ttlMs: number;
  /**
   * The clock, in milliseconds. The default, performance.now(), is monotonic:
   * unlike Date.now() (or the source's datetime.now()) it never jumps when the
   * system clock is set back an hour or corrected by NTP. It is read at most
   * once per millisecond; a clock you pass in is read on every operation.
   */
  now?: () => number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

export class TtlCache<K, V> {
  readonly maxSize: number;
  readonly ttlMs: number;
  readonly #now: () => number;
  readonly #entries: LruCache<K, Entry<V>>;
  /** No entry expires before this time (it may be earlier than the real soonest: a bound, not a fact). */
  #soonestExpiry = Number.POSITIVE_INFINITY;

  constructor({ maxSize, ttlMs, now = coarseClock(CLOCK_RESOLUTION_MS) }: TtlCacheOptions) {
    if (!Number.isInteger(maxSize) || maxSize < 1) {
      throw new RangeError(`TtlCache: maxSize must be a positive integer, got ${String(maxSize)}`);
    }
    checkTtl(ttlMs);
    this.#entries = new LruCache({ max: maxSize });
    this.maxSize = maxSize;
    this.ttlMs = ttlMs;
    this.#now = now;
  }

  /** Entries held, expired ones included until something drops them (call expire() for an exact count). */
  get size(): number {
    return this.#entries.size;
  }

  /** The value if it has not expired, and the key becomes the most recently used. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key); // one lookup; an expired entry it marks as used is deleted next
    if (entry === undefined) return undefined;
    if (this.#isExpired(entry)) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** The value if it has not expired, without counting as a use. */
  peek(key: K): V | undefined {
    const entry = this.#entries.peek(key);
    return entry === undefined || this.#isExpired(entry) ? undefined : entry.value;
  }

  /** Whether a live entry is there; does not count as a use. */
  has(key: K): boolean {
    const entry = this.#entries.peek(key);
    return entry !== undefined && !this.#isExpired(entry);
  }

  /** Stores the value for `ttlMs` (this entry's own, or the cache's); expired entries go before a live one is evicted. */
  set(key: K, value: V, options?: { ttlMs?: number }): this {
    const ttlMs = options?.ttlMs ?? this.ttlMs;
    checkTtl(ttlMs);
    const now = this.#clock();
    // Until the soonest expiry has come there is nothing to drop: the usual
    // write on a full cache of live entries pays for no walk and no lookup.
    // Stryker disable next-line ConditionalExpression: `true` is equivalent (it walks when nothing can have expired); `false` is a real bug, caught by "does not keep expired entries forever"
    if (now >= this.#soonestExpiry) {
      this.#dropExpiredAtColdEnd(now);
      // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, an update needs no room; walking anyway would only drop expired entries sooner
      if (this.#entries.size === this.maxSize && !this.#entries.has(key)) this.#dropExpired(now);
    }
    const expiresAt = now + ttlMs;
    const held = this.#entries.get(key); // a use, as a write should be
    // Stryker disable next-line ConditionalExpression: equivalent, a new entry object in place of the old one; it only allocates
    if (held === undefined) this.#entries.set(key, { value, expiresAt });
    else {
      held.value = value; // an update rewrites the entry it has: nothing to allocate
      held.expiresAt = expiresAt;
    }
    this.#soonestExpiry = Math.min(this.#soonestExpiry, expiresAt);
    return this;
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
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

  /** Removes every expired entry and returns them, like cachetools' expire(). O(size). */
  expire(): Array<[K, V]> {
    return this.#dropExpired(this.#clock());
  }

  #isExpired(entry: Entry<V>): boolean {
    return entry.expiresAt <= this.#clock();
  }

  /** A clock that reads NaN would make every entry immortal (NaN is never <= anything): refuse it. */
  #clock(): number {
    const now = this.#now();
    if (Number.isNaN(now)) throw new RangeError('TtlCache: the clock (now) returned NaN; it must return milliseconds');
    return now;
  }

  /**
   * Drops every expired entry: one walk of the cache, O(size). A write calls it
   * only when it would otherwise evict, and only once the soonest expiry has
   * come: a full cache of live entries does not pay for the walk.
   */
  #dropExpired(now: number): Array<[K, V]> {
    const expired: Array<[K, V]> = [];
    // Stryker disable next-line ConditionalExpression: equivalent, it only skips a walk that would find nothing expired
    if (now < this.#soonestExpiry) return expired;
    let soonest = Number.POSITIVE_INFINITY;
    for (const key of [...this.#entries.keys()]) {
      const entry = this.#entries.peek(key) as Entry<V>;
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

  /**
   * Nothing reads an expired entry (a read deletes it), so expired entries
   * drift to the least recently used end. Dropping them from there on each
   * write keeps memory to live data at O(1) amortized: each entry goes once.
   */
  #dropExpiredAtColdEnd(now: number): void {
    for (const key of this.#entries.keys()) {
      const entry = this.#entries.peek(key) as Entry<V>;
      if (entry.expiresAt > now) return;
      this.#entries.delete(key); // LruCache's keys() walks on past a key deleted under it
    }
  }
}

/**
 * performance.now(), read at most once per `resolutionMs`: a reading is reused
 * until an unref()ed timer forgets it (unref: a cache must not keep the process
 * alive). The timer can only fire between two turns of the event loop, so
 * within one synchronous stretch of code time stands still; an expiry check
 * is late by at most the resolution plus that stretch.
 */
function coarseClock(resolutionMs: number): () => number {
  let reading: number | undefined;
  const forget = () => {
    reading = undefined;
  };
  return () => {
    // Stryker disable next-line ConditionalExpression: equivalent, a reading every time is exact, only slower
    if (reading === undefined) {
      reading = performance.now();
      setTimeout(forget, resolutionMs).unref();
    }
    return reading;
  };
}

function checkTtl(ttlMs: number): void {
  if (!(ttlMs > 0 && Number.isFinite(ttlMs))) {
    throw new RangeError(`TtlCache: ttlMs must be a positive, finite number of milliseconds, got ${String(ttlMs)}`);
  }
}
