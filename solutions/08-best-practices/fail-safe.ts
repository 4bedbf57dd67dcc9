/**
 * Errors that protect the database (source 8.4).
 *
 * The source's safe_cache_get turns every Redis error into a miss, and a miss
 * into a database query: while Redis is down, every request is a query, and
 * the cache's outage becomes the database's. FailSafeCache decides what to
 * serve so that it does not:
 *
 * - every value carries a logical expiry (`freshUntil`) and is kept longer
 *   than that (`staleUntil`), in Redis and in memory (exercise 8's CopyStore);
 * - fresh: a hit, from Redis, or from memory while Redis is down;
 * - past its freshness: loaded again, through a LoadGate (exercise 7: one load
 *   per key, a few at a time); while Redis is down, or when the load fails,
 *   the copy is served instead, marked `stale: true`, until staleUntil.
 *
 * While Redis answers, it is the truth: a key it no longer has may have been
 * invalidated by another process, so the copy in memory is not served as
 * fresh then (nor written back); it is only the fallback when the load fails.
 */
import { assertKey, assertTtl } from '../../provided/json-cache.js';
import type { BreakerState } from './circuit-breaker.js';
import { CopyStore, type Copy, type CopyStoreOptions } from './copy-store.js';
import { LoadGate } from './load-gate.js';
import type { CacheMetrics } from './metrics.js';

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

export class FailSafeCache {
  readonly #options: FailSafeOptions & { now: () => number };
  readonly #store: CopyStore;
  readonly #gate: LoadGate;

  constructor(options: FailSafeOptions) {
    const { freshSeconds, staleSeconds, maxConcurrentLoads = 8, now = Date.now } = options;
    assertTtl(freshSeconds, 'FailSafeCache freshSeconds');
    assertTtl(staleSeconds, 'FailSafeCache staleSeconds');
    assertTtl(freshSeconds + staleSeconds, 'FailSafeCache freshSeconds + staleSeconds');
    if (!Number.isSafeInteger(maxConcurrentLoads) || maxConcurrentLoads < 1) throw new RangeError(`FailSafeCache: maxConcurrentLoads is a whole number ≥ 1, got ${String(maxConcurrentLoads)}`);
    this.#options = { ...options, now };
    this.#store = new CopyStore({ ...options, now });
    this.#gate = new LoadGate({ maxConcurrent: maxConcurrentLoads });
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
    if (typeof loader !== 'function') throw new TypeError(`FailSafeCache.get(${key}): the loader must be a function, got ${typeof loader}`);
    const { prefix, name, now } = this.#options;
    const redisKey = `${prefix}${key}`;
    const { redis, last, down } = await this.#store.read(redisKey);
    const from = redis ? 'redis' : 'memory';
    if (last && now() < last.freshUntil && (redis || down)) {
      this.metrics.hit(name);
      return { value: last.value as T, stale: false, from };
    }
    this.metrics.miss(name);
    const usable = last && now() < last.staleUntil ? last : undefined;
    // Redis is down and we hold a copy we may still serve: spare the database.
    if (down && usable) return this.#serveStale(usable, from);
    try {
      const loaded = await this.#gate.run(redisKey, () => this.#load(redisKey, loader));
      return { value: loaded.value as T, stale: false, from: 'loader' };
    } catch (error) {
      if (usable) return this.#serveStale(usable, from);
      throw error;
    }
  }

  #serveStale<T>(copy: Copy, from: 'redis' | 'memory'): CacheResult<T> {
    this.metrics.staleServed(this.#options.name);
    return { value: copy.value as T, stale: true, from };
  }

  /** One call of the loader, timed for the metrics; the copy it makes is kept for fresh + stale seconds. */
  async #load(redisKey: string, loader: () => Promise<unknown>): Promise<Copy> {
    const { name, now, freshSeconds, staleSeconds } = this.#options;
    const started = now();
    let value: unknown;
    try {
      value = await loader();
    } finally {
      this.metrics.loaded(name, Math.max(0, now() - started) / 1_000); // a clock that went back counts 0 s
    }
    if (value === undefined) throw new TypeError(`FailSafeCache ${name}: the loader of ${redisKey} returned undefined; return null for "none"`);
    const copy: Copy = { value, freshUntil: now() + freshSeconds * 1_000, staleUntil: now() + (freshSeconds + staleSeconds) * 1_000 };
    await this.#store.write(redisKey, copy, freshSeconds + staleSeconds);
    return copy;
  }
}
