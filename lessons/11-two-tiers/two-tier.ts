/**
 * Exercise 1 of 3: two tiers. An L1 in this process's memory in front of an
 * L2 in Redis: a read tries L1, then Redis (filling L1), then the loader
 * (filling both, one load per key at a time).
 *
 * Below is what most tutorials write: a Map in front of Redis. It never
 * forgets (no TTL, no bound), treats a cached 0 as a miss, and a write leaves
 * the old value in L1. Make it the TwoTierCache the README describes, with
 * the doors the next two exercises use: `announce`, `dropL1`, `clearL1`,
 * `trustL1`. Run `npm run lesson 11`.
 */
import type { Redis } from 'ioredis';
import { jsonCodec, type Codec } from '../../provided/codecs.js';
import { assertKey, assertTtl } from '../../provided/json-cache.js';

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

export class TwoTierCache<T> {
  readonly stats: TwoTierStats = { l1Hits: 0, l2Hits: 0, misses: 0 };
  // TODO: an LRUCache from lru-cache (bounded, with a TTL on the injected clock), not a Map.
  readonly #l1 = new Map<string, T>();
  readonly #redis: Redis;
  readonly #l2TtlSeconds: number;
  readonly #codec: Codec;

  constructor(options: TwoTierOptions) {
    // TODO: refuse an l1Max or l1TtlMs that cannot work, with a RangeError.
    assertTtl(options.l2TtlSeconds, 'TwoTierCache');
    this.#redis = options.redis;
    this.#l2TtlSeconds = options.l2TtlSeconds;
    this.#codec = options.codec ?? jsonCodec;
  }

  /** The value of `key`: from L1, else from Redis (filling L1), else from `loader` (filling both, one load per key at a time). */
  async get(key: string, loader: () => Promise<T>): Promise<T> {
    assertKey(key, 'TwoTierCache.get');
    const local = this.#l1.get(key);
    if (local) {
      this.stats.l1Hits++;
      return local;
    }
    const bytes = await this.#redis.getBuffer(key);
    if (bytes) {
      this.stats.l2Hits++;
      const value = this.#codec.decode(bytes) as T;
      this.#l1.set(key, value);
      return value;
    }
    this.stats.misses++;
    const value = await loader();
    await this.#redis.set(key, this.#codec.encode(value), 'EX', this.#l2TtlSeconds);
    this.#l1.set(key, value);
    return value;
  }

  /** Writes `value` to Redis, drops it from this L1, and announces the change. */
  async set(key: string, value: T): Promise<void> {
    assertKey(key, 'TwoTierCache.set');
    await this.#redis.set(key, this.#codec.encode(value), 'EX', this.#l2TtlSeconds);
  }

  /** Removes `key` from Redis and from this L1, and announces the change. */
  async delete(key: string): Promise<void> {
    assertKey(key, 'TwoTierCache.delete');
    await this.#redis.unlink(key);
  }

  /** Someone changed `key`: forget it here. */
  dropL1(key: string): void {
    this.#l1.delete(key);
  }

  /** Forget everything here: after a lost subscription, nobody knows what changed. */
  clearL1(): void {
    this.#l1.clear();
  }

  /** While false, L1 is neither read nor filled: invalidations cannot reach it (a subscription is down). */
  get trustL1(): boolean {
    return true; // TODO
  }

  set trustL1(trusted: boolean) {
    void trusted; // TODO
  }

  /** Whether L1 holds `key` right now (expired entries do not count). */
  hasL1(key: string): boolean {
    return this.#l1.has(key);
  }
}
