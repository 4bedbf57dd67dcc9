/**
 * Exercise 5 of 6: errors that protect the database (source 8.4).
 *
 * The source:
 *
 *     def safe_cache_get(key: str):
 *         try:
 *             return redis_client.get(key)
 *         except redis.ConnectionError:
 *             return None
 *         except Exception as e:
 *             logger.error(f"Cache error: {e}")
 *             return None
 *
 * get() below is that, with the cache-aside around it. It never fails, and
 * while Redis is down every request becomes a database query. Make it:
 * skip Redis through your CircuitBreaker once it is failing; serve the last
 * known copy (marked stale) for a bounded time rather than an error; share a
 * load per key and bound loads overall; log once per outage; count for 8.3.
 */
import type { Redis } from 'ioredis';
import { LruCache } from '../../provided/lru-cache.js';
import { assertKey, assertTtl } from '../../provided/json-cache.js';
import { CircuitBreaker, CircuitOpenError, type BreakerState, type CircuitBreakerOptions } from './circuit-breaker.js';
import { CacheMetrics } from './metrics.js';

export interface FailSafeOptions {
  redis: Redis;
  /** The cache's name, in its metrics and log lines (a non-empty string). */
  name: string;
  /** Every Redis key starts with it. */
  prefix: string;
  /** How long a value is fresh (whole seconds ≥ 1). */
  freshSeconds: number;
  /** How much longer a stale copy may be served when Redis or the loader is down (whole seconds ≥ 1). */
  staleSeconds: number;
  /** The breaker in front of Redis; default 5 failures in 10 s, 5 s cooldown. Its clock is `now`. */
  breaker?: Omit<CircuitBreakerOptions, 'now' | 'onStateChange' | 'isFailure'>;
  /** Loader calls in flight at once, over all keys. Default 8. */
  maxConcurrentLoads?: number;
  /** How many last known copies this process keeps (an LruCache) for when Redis is down. Default 1,000. */
  localMaxEntries?: number;
  metrics?: CacheMetrics;
  /** Default console.warn. */
  log?: (message: string) => void;
  now?: () => number;
}

/** A value and where it came from; `stale` says it is past its freshness, served because something is down. */
export interface CacheResult<T> {
  value: T;
  stale: boolean;
  from: 'redis' | 'memory' | 'loader';
}

// Given, for you to use: the pieces the README's design names.
void LruCache, assertTtl, CircuitBreaker, CircuitOpenError;

export class FailSafeCache {
  readonly metrics: CacheMetrics;
  readonly #options: FailSafeOptions;

  constructor(options: FailSafeOptions) {
    // TODO: check the options (a RangeError or TypeError here, not at the first read).
    this.#options = options;
    this.metrics = options.metrics ?? new CacheMetrics();
  }

  get breakerState(): BreakerState {
    // TODO
    return 'closed';
  }

  /** The value of `key`: fresh from Redis or memory, else loaded, else a stale copy, else the loader's error. */
  async get<T>(key: string, loader: () => Promise<T>): Promise<CacheResult<T>> {
    assertKey(key, 'FailSafeCache.get');
    const { redis, prefix, freshSeconds, staleSeconds } = this.#options;
    const redisKey = `${prefix}${key}`;
    // TODO: the source's safe_cache_get: every error is a miss, a miss is a query.
    let cached: string | null;
    try {
      cached = await redis.get(redisKey);
    } catch {
      cached = null;
    }
    if (cached !== null) return { value: JSON.parse(cached) as T, stale: false, from: 'redis' };
    const value = await loader();
    try {
      await redis.set(redisKey, JSON.stringify(value), 'EX', freshSeconds + staleSeconds);
    } catch {
      // the source ignores it
    }
    return { value, stale: false, from: 'loader' };
  }
}
