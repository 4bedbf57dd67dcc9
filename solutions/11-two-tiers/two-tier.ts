/**
 * Two tiers: an L1 in this process's memory in front of an L2 in Redis.
 *
 * An L1 hit costs a Map lookup; an L2 hit costs a network round trip; a miss
 * costs the loader. A read tries them in that order and fills what it missed.
 * The hard part is not the order, it is the L1 of every other instance:
 * nothing tells it that the value changed. This class keeps its own L1 honest
 * and exposes the two doors the other exercises use to keep everyone's honest:
 * `announce` (called after every write) and `dropL1` / `clearL1` / `trustL1`.
 *
 * One rule makes it race-free: an answer from Redis fills L1 only if no
 * invalidation arrived while it was on its way (the epoch did not move).
 * Without it, a GET that read the old value and a message that says "changed"
 * can arrive in either order, and the old value would sit in L1 until its TTL.
 */
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { jsonCodec, type Codec } from '../../provided/codecs.js';
import { assertKey, assertTtl } from '../../provided/json-cache.js';
import { SingleFlight } from '../../provided/single-flight.js';

export interface TwoTierOptions {
  /** L2: the connection the cache reads and writes Redis with. */
  redis: Redis;
  /** How many entries L1 holds at most (LRU beyond that). */
  l1Max: number;
  /** How long an L1 entry lives: the worst-case staleness when an invalidation is lost. */
  l1TtlMs: number;
  /** How long a value lives in Redis. */
  l2TtlSeconds: number;
  /** How values become bytes in Redis; default lesson 03's jsonCodec. */
  codec?: Codec;
  /** The clock L1's TTL reads (ms); default performance.now. */
  now?: () => number;
  /** Called after every write or delete reached L2: tell the other instances. */
  announce?: (key: string) => Promise<unknown> | void;
  /** Fill L1 with what the loader returned (false for client-side caching, where only a read makes the server watch a key). */
  fillL1AfterLoad?: boolean;
  /** A Redis that is down or holds bytes this codec did not write is reported here, and read as a miss. */
  onCacheError?: (error: unknown) => void;
}

export interface TwoTierStats {
  l1Hits: number;
  l2Hits: number;
  misses: number;
}

/** L1 stores each value in a box, so that undefined, null, 0 and '' are hits like any other value. */
type Box<T> = { value: T };

const MAX_TIMER_MS = 2 ** 31 - 1;

export class TwoTierCache<T> {
  readonly stats: TwoTierStats = { l1Hits: 0, l2Hits: 0, misses: 0 };
  readonly #redis: Redis;
  readonly #l1: LRUCache<string, Box<T>>;
  readonly #l2TtlSeconds: number;
  readonly #codec: Codec;
  readonly #announce: (key: string) => Promise<unknown> | void;
  readonly #fillAfterLoad: boolean;
  readonly #onCacheError: (error: unknown) => void;
  readonly #flight = new SingleFlight();
  /** Moves on every invalidation: a Redis answer read before it must not fill L1. */
  #epoch = 0;
  #trusted = true;

  constructor(options: TwoTierOptions) {
    const { l1Max, l1TtlMs, now = () => performance.now() } = options;
    if (!Number.isSafeInteger(l1Max) || l1Max < 1) throw new RangeError(`TwoTierCache: l1Max must be a whole number ≥ 1, got ${l1Max}`);
    if (!(Number.isSafeInteger(l1TtlMs) && l1TtlMs >= 1 && l1TtlMs <= MAX_TIMER_MS)) {
      throw new RangeError(`TwoTierCache: l1TtlMs must be a whole number of ms between 1 and ${MAX_TIMER_MS}, got ${l1TtlMs}`);
    }
    assertTtl(options.l2TtlSeconds, 'TwoTierCache');
    this.#redis = options.redis;
    this.#l2TtlSeconds = options.l2TtlSeconds;
    this.#codec = options.codec ?? jsonCodec;
    this.#announce = options.announce ?? (() => {});
    this.#fillAfterLoad = options.fillL1AfterLoad ?? true;
    this.#onCacheError = options.onCacheError ?? (() => {});
    // ttlResolution 0: read the clock on every get, so an injected clock is obeyed to the millisecond.
    this.#l1 = new LRUCache<string, Box<T>>({ max: l1Max, ttl: l1TtlMs, ttlResolution: 0, perf: { now } });
  }

  /** The value of `key`: from L1, else from Redis (filling L1), else from `loader` (filling both, one load per key at a time). */
  async get(key: string, loader: () => Promise<T>): Promise<T> {
    assertKey(key, 'TwoTierCache.get');
    const local = this.#trusted ? this.#l1.get(key) : undefined;
    if (local !== undefined) {
      this.stats.l1Hits++;
      return local.value;
    }
    return this.#flight.run(key, async () => {
      const epoch = this.#epoch;
      const remote = await this.#readL2(key);
      if (remote !== undefined) {
        this.stats.l2Hits++;
        this.#fillL1(key, remote, epoch);
        return remote.value;
      }
      this.stats.misses++;
      const value = await loader();
      // NX: a set() that ran while we loaded wrote a newer value; ours must not overwrite it.
      await this.#writeL2(key, value, 'NX');
      if (this.#fillAfterLoad) this.#fillL1(key, { value }, epoch);
      return value;
    });
  }

  /** Writes `value` to Redis, drops it from this L1, and announces the change. */
  async set(key: string, value: T): Promise<void> {
    assertKey(key, 'TwoTierCache.set');
    await this.#writeL2(key, value);
    this.dropL1(key);
    await this.#tellOthers(key);
  }

  /** Removes `key` from Redis and from this L1, and announces the change. */
  async delete(key: string): Promise<void> {
    assertKey(key, 'TwoTierCache.delete');
    try {
      await this.#redis.unlink(key);
    } catch (error) {
      this.#onCacheError(error);
    }
    this.dropL1(key);
    await this.#tellOthers(key);
  }

  /** Someone changed `key`: forget it here. */
  dropL1(key: string): void {
    this.#epoch++;
    this.#l1.delete(key);
  }

  /** Forget everything here: after a lost subscription, nobody knows what changed. */
  clearL1(): void {
    this.#epoch++;
    this.#l1.clear();
  }

  /** While false, L1 is neither read nor filled: invalidations cannot reach it (a subscription is down). */
  get trustL1(): boolean {
    return this.#trusted;
  }

  set trustL1(trusted: boolean) {
    this.#trusted = trusted;
    this.clearL1();
  }

  /** Whether L1 holds `key` right now (expired entries do not count). */
  hasL1(key: string): boolean {
    return this.#l1.has(key);
  }

  #fillL1(key: string, box: Box<T>, epoch: number): void {
    if (this.#trusted && epoch === this.#epoch) this.#l1.set(key, box);
  }

  async #readL2(key: string): Promise<Box<T> | undefined> {
    try {
      const bytes = await this.#redis.getBuffer(key);
      return bytes === null ? undefined : { value: this.#codec.decode(bytes) as T };
    } catch (error) {
      // Down, or bytes someone else wrote (CodecError): a miss, reported, never a crash.
      this.#onCacheError(error);
      return undefined;
    }
  }

  async #writeL2(key: string, value: T, only?: 'NX'): Promise<void> {
    const bytes = this.#codec.encode(value); // a value the codec cannot store is the caller's error: it throws here
    try {
      if (only) await this.#redis.set(key, bytes, 'EX', this.#l2TtlSeconds, only);
      else await this.#redis.set(key, bytes, 'EX', this.#l2TtlSeconds);
    } catch (error) {
      this.#onCacheError(error);
    }
  }

  async #tellOthers(key: string): Promise<void> {
    try {
      await this.#announce(key);
    } catch (error) {
      this.#onCacheError(error);
    }
  }
}
