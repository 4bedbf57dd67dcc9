/**
 * Two tiers: an L1 in this process's memory in front of an L2 in Redis.
 *
 * An L1 hit costs a map lookup; an L2 hit a network round trip; a miss the
 * loader. A read tries them in that order and fills what it missed, one load
 * per key at a time (lesson 10's single flight). A write goes to L2, then
 * drops L1, then is announced to the other instances: an announcement that
 * arrived before Redis had the new value would let them reload the old one.
 *
 * The hard part is not the order, it is the L1 of every other instance:
 * nothing tells it that the value changed. This class keeps its own L1 honest
 * (exercises 1 and 2 did the work) and opens the doors the next exercises use
 * to keep everyone's honest: `announce` (called after every write) and
 * `dropL1` / `clearL1` / `trustL1`.
 */
import { SingleFlight } from '../../provided/single-flight.js';
import { assertKey } from '../../provided/json-cache.js';
import { MemoryTier, type MemoryTierOptions } from '../../provided/memory-tier.js';
import { RedisTier, type RedisTierOptions } from '../../provided/redis-tier.js';

export interface TwoTierOptions extends MemoryTierOptions, RedisTierOptions {
  /** Called after every write or delete reached L2: tell the other instances. */
  announce?: (key: string) => Promise<unknown> | void;
  /** Fill L1 with what the loader returned (false for client-side caching, where only a read makes the server watch a key). */
  fillL1AfterLoad?: boolean;
}

export interface TwoTierStats {
  l1Hits: number;
  l2Hits: number;
  misses: number;
}

export class TwoTierCache<T> {
  readonly stats: TwoTierStats = { l1Hits: 0, l2Hits: 0, misses: 0 };
  readonly #l1: MemoryTier<T>;
  readonly #l2: RedisTier<T>;
  readonly #announce: (key: string) => Promise<unknown> | void;
  readonly #fillL1AfterLoad: boolean;
  readonly #report: (error: unknown) => void;
  readonly #flight = new SingleFlight();

  constructor(options: TwoTierOptions) {
    this.#l1 = new MemoryTier<T>(options);
    this.#l2 = new RedisTier<T>(options);
    this.#announce = options.announce ?? (() => {});
    this.#fillL1AfterLoad = options.fillL1AfterLoad ?? true;
    this.#report = options.onCacheError ?? (() => {});
  }

  /** The value of `key`: from L1, else from Redis (filling L1), else from `loader` (filling both, one load per key at a time). */
  async get(key: string, loader: () => Promise<T>): Promise<T> {
    assertKey(key, 'TwoTierCache.get');
    const local = this.#l1.get(key);
    if (local !== undefined) {
      this.stats.l1Hits++;
      return local.value;
    }
    return this.#flight.run(key, async () => {
      const noted = this.#l1.invalidations; // before the question: an invalidation after it makes the answer old
      const remote = await this.#l2.read(key);
      if (remote !== undefined) {
        this.stats.l2Hits++;
        this.#l1.fill(key, remote, noted);
        return remote.value;
      }
      this.stats.misses++;
      const value = await this.#l2.fill(key, loader);
      if (this.#fillL1AfterLoad) this.#l1.fill(key, { value }, noted);
      return value;
    });
  }

  /** Writes `value` to Redis, drops it from this L1, and announces the change. */
  async set(key: string, value: T): Promise<void> {
    assertKey(key, 'TwoTierCache.set');
    try {
      await this.#l2.write(key, value);
    } finally {
      this.#l1.drop(key); // even if an onCacheError throws: L1 never outlives a write
    }
    await this.#tellOthers(key);
  }

  /** Removes `key` from Redis and from this L1, and announces the change. */
  async delete(key: string): Promise<void> {
    assertKey(key, 'TwoTierCache.delete');
    try {
      await this.#l2.remove(key);
    } finally {
      this.#l1.drop(key);
    }
    await this.#tellOthers(key);
  }

  /** Someone changed `key`: forget it here. */
  dropL1(key: string): void {
    this.#l1.drop(key);
  }

  /** Forget everything here: after a lost subscription, nobody knows what changed. */
  clearL1(): void {
    this.#l1.clear();
  }

  /** While false, L1 is neither read nor filled: invalidations cannot reach it (a subscription is down). */
  get trustL1(): boolean {
    return this.#l1.trusted;
  }

  set trustL1(trusted: boolean) {
    this.#l1.trusted = trusted;
  }

  /** Whether L1 holds `key` right now (expired entries do not count). */
  hasL1(key: string): boolean {
    return this.#l1.has(key);
  }

  async #tellOthers(key: string): Promise<void> {
    try {
      await this.#announce(key);
    } catch (error) {
      this.#report(error); // the write is done; the others' L1 TTL bounds what they miss
    }
  }
}
