/**
 * Exercise 3 of 6: the two tiers together. L1 (exercise 1) and L2 (exercise
 * 2) are given, in provided/; so is lesson 10's SingleFlight.
 *
 * Below, every read goes to Redis, L1 is never used, and a write tells
 * nobody. Make get() try L1, then Redis, then the loader, and set() and
 * delete() keep this L1 honest and announce the change.
 * Run `npm run lesson 11 two-tier`.
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
  readonly #flight = new SingleFlight(); // yours to use

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
    // TODO: L1 first; then one load per key: Redis (fill L1), else the loader (fill L1 unless fillL1AfterLoad is false).
    void [this.#flight, this.#fillL1AfterLoad];
    const remote = await this.#l2.read(key);
    if (remote !== undefined) return remote.value;
    return this.#l2.fill(key, loader);
  }

  /** Writes `value` to Redis, drops it from this L1, and announces the change. */
  async set(key: string, value: T): Promise<void> {
    assertKey(key, 'TwoTierCache.set');
    await this.#l2.write(key, value); // TODO: and then?
  }

  /** Removes `key` from Redis and from this L1, and announces the change. */
  async delete(key: string): Promise<void> {
    assertKey(key, 'TwoTierCache.delete');
    await this.#l2.remove(key); // TODO: and then?
    void [this.#announce, this.#report];
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
}
