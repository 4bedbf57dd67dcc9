/**
 * Exercise 9 of 9: errors that protect the database (source 8.4).
 *
 * The source's safe_cache_get turns every Redis error into a miss, and a miss
 * into a database query: while Redis is down, every request is a query. The
 * pieces to do better are given (provided/): exercise 8's CopyStore (Redis
 * through a breaker, the last copies in memory, one log line per outage) and
 * exercise 7's LoadGate (one load per key, a few at a time).
 *
 * get() below is the source's cache-aside on top of them: a copy Redis holds
 * is a hit, anything else is a load, and a failed load is the caller's error.
 * Decide better: fresh, stale, from Redis or from memory, and loads through
 * the gate.
 */
import { CacheMetrics } from '../../provided/cache-metrics.js';
import type { BreakerState } from '../../provided/circuit-breaker.js';
import { CopyStore, type Copy, type CopyStoreOptions } from '../../provided/copy-store.js';
import { assertKey, assertTtl } from '../../provided/json-cache.js';
import { LoadGate } from '../../provided/load-gate.js';

export interface FailSafeOptions extends CopyStoreOptions {
  /** Every Redis key starts with it. */
  prefix: string;
  /** How long a value is fresh (whole seconds ≥ 1). */
  freshSeconds: number;
  /** How much longer a stale copy may be served when Redis or the loader is down (whole seconds ≥ 1). */
  staleSeconds: number;
  /** Loader calls in flight at once, over all keys; default 8. */
  maxConcurrentLoads?: number;
}

/** A value and where it came from; `stale` says it is past its freshness, served because something is down. */
export interface CacheResult<T> {
  value: T;
  stale: boolean;
  from: 'redis' | 'memory' | 'loader';
}

// Given, for you to use.
void assertTtl, LoadGate;

export class FailSafeCache {
  readonly #options: FailSafeOptions;
  readonly #store: CopyStore;

  constructor(options: FailSafeOptions) {
    // TODO: check the options (a RangeError or TypeError here, not at the first read); a LoadGate.
    this.#options = options;
    this.#store = new CopyStore(options);
  }

  get metrics(): CacheMetrics {
    return this.#store.metrics;
  }

  get breakerState(): BreakerState {
    return this.#store.breakerState;
  }

  /** The value of `key`: fresh from Redis (or from memory while Redis is down), else loaded, else a stale copy, else the loader's error. */
  async get<T>(key: string, loader: () => Promise<T>): Promise<CacheResult<T>> {
    assertKey(key, 'FailSafeCache.get');
    const { prefix, freshSeconds, staleSeconds, now = Date.now } = this.#options;
    const redisKey = `${prefix}${key}`;
    // TODO: the source's cache-aside: whatever Redis holds is a hit, anything else a query.
    const { redis } = await this.#store.read(redisKey);
    if (redis) return { value: redis.value as T, stale: false, from: 'redis' };
    const value = await loader();
    const copy: Copy = { value, freshUntil: now() + freshSeconds * 1_000, staleUntil: now() + (freshSeconds + staleSeconds) * 1_000 };
    await this.#store.write(redisKey, copy, freshSeconds + staleSeconds);
    return { value, stale: false, from: 'loader' };
  }
}
