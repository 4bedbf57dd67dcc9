/**
 * Exercise 8 of 9: where copies live, so that an outage of Redis costs
 * neither a wait nor a database query (source 8.4).
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
 * read() and write() below are that: every call waits for a dead Redis, every
 * failure is a log line, and whatever Redis held is out of reach while it is
 * down. Make them go through a CircuitBreaker (given: provided/circuit-breaker.ts),
 * keep the last copy of each key in memory, count Redis's errors, and log once
 * per outage.
 */
import type { Redis } from 'ioredis';
import { CacheMetrics } from '../../provided/cache-metrics.js';
import { CircuitBreaker, CircuitOpenError, type BreakerState, type CircuitBreakerOptions } from '../../provided/circuit-breaker.js';
import { toJson } from '../../provided/json-cache.js';
import { LruCache } from '../../provided/lru-cache.js';

/** What is stored: the value and its two expiries, in ms since the epoch. */
export interface Copy {
  value: unknown;
  /** Until then, a hit. */
  freshUntil: number;
  /** Until then, served when Redis or the loader is down (marked stale). */
  staleUntil: number;
}

export interface CopyStoreOptions {
  redis: Redis;
  /** The cache's name, in its metrics and log lines (a non-empty string). */
  name: string;
  /** The breaker in front of Redis (its clock is `now`); default 5 failures in 10 s, 5 s of cooldown. */
  breaker?: Omit<CircuitBreakerOptions, 'now' | 'onStateChange' | 'isFailure'>;
  /** How many last known copies this process keeps for when Redis is down; default 1,000. */
  localMaxEntries?: number;
  metrics?: CacheMetrics;
  /** Default console.warn. */
  log?: (message: string) => void;
  now?: () => number;
}

/** What a read found. */
export interface CopyRead {
  /** Redis's copy (undefined: none, garbage, or Redis did not answer). */
  redis?: Copy;
  /** The last copy this process saw under the key: Redis's, or else the one in memory. */
  last?: Copy;
  /** Redis did not answer (down, or skipped by the open breaker). */
  down: boolean;
}

// Given, for you to use: the pieces the README's design names.
void LruCache, CircuitBreaker, CircuitOpenError, toJson;

export class CopyStore {
  readonly metrics: CacheMetrics;
  readonly #options: CopyStoreOptions;

  constructor(options: CopyStoreOptions) {
    // TODO: check the options; a breaker (whose onStateChange logs), an LruCache of copies.
    this.#options = options;
    this.metrics = options.metrics ?? new CacheMetrics();
  }

  get breakerState(): BreakerState {
    // TODO
    return 'closed';
  }

  /** Redis's copy through the breaker, and the last one in memory. Never throws: Redis's errors are counted. */
  async read(key: string): Promise<CopyRead> {
    // TODO: the source's safe_cache_get: every error is a log line and a miss.
    const { redis, log = console.warn } = this.#options;
    try {
      const raw = await redis.get(key);
      const copy = raw === null ? undefined : (JSON.parse(raw) as Copy);
      return { redis: copy, last: copy, down: false };
    } catch (error) {
      log(`Cache error: ${String(error)}`);
      return { down: true };
    }
  }

  /** Keeps the copy in memory and in Redis for ttlSeconds. A value JSON cannot hold is a TypeError, before anything is kept; Redis's errors are counted, never thrown. */
  async write(key: string, copy: Copy, ttlSeconds: number): Promise<void> {
    // TODO: the source ignores a failed write; count it, and keep the copy in memory too.
    const { redis, log = console.warn } = this.#options;
    try {
      await redis.set(key, JSON.stringify(copy), 'EX', ttlSeconds);
    } catch (error) {
      log(`Cache error: ${String(error)}`);
    }
  }
}
