/**
 * Errors that protect the database (source 8.4).
 *
 * The source's safe_cache_get turns every Redis error into a miss, and a miss
 * into a database query: while Redis is down, every request is a query, and
 * the cache's outage becomes the database's. FailSafeCache keeps the database
 * safe in four ways:
 *
 * 1. a circuit breaker: after a few failures Redis is skipped, not waited for;
 * 2. a last known copy: every value carries a logical expiry (`freshUntil`)
 *    and lives longer than that (`staleUntil`), in Redis and in a small
 *    in-process LRU; while Redis is down or the loader fails, a stale copy is
 *    served, marked `stale: true`, instead of an error;
 * 3. one load per key at a time (lesson 01's in-flight sharing) and at most
 *    `maxConcurrentLoads` in all: a cold cache cannot fire a thousand queries;
 * 4. one log line per outage, not one per request, and counters for 8.3.
 */
import { ReplyError, type Redis } from 'ioredis';
import { LruCache } from '../../provided/lru-cache.js';
import { assertKey, assertTtl } from '../../provided/json-cache.js';
import { CircuitBreaker, CircuitOpenError, type BreakerState, type CircuitBreakerOptions } from './circuit-breaker.js';
import { CacheMetrics } from './metrics.js';

export interface FailSafeOptions {
  redis: Redis;
  /** The cache's name, in its metrics and log lines. */
  name: string;
  /** Every Redis key starts with it. */
  prefix: string;
  /** How long a value is fresh. */
  freshSeconds: number;
  /** How much longer a stale copy may be served when Redis or the loader is down. */
  staleSeconds: number;
  /** The breaker in front of Redis (its clock is `now`). */
  breaker?: Omit<CircuitBreakerOptions, 'now' | 'onStateChange' | 'isFailure'>;
  /** Loader calls in flight at once, over all keys. */
  maxConcurrentLoads?: number;
  /** How many last known copies this process keeps for when Redis is down. */
  localMaxEntries?: number;
  metrics?: CacheMetrics;
  log?: (message: string) => void;
  now?: () => number;
}

/** A value and where it came from; `stale` says it is past its freshness, served because something is down. */
export interface CacheResult<T> {
  value: T;
  stale: boolean;
  from: 'redis' | 'memory' | 'loader';
}

interface Copy {
  value: unknown;
  freshUntil: number;
  staleUntil: number;
}

export class FailSafeCache {
  readonly metrics: CacheMetrics;
  readonly #redis: Redis;
  readonly #name: string;
  readonly #prefix: string;
  readonly #freshMs: number;
  readonly #staleMs: number;
  readonly #now: () => number;
  readonly #log: (message: string) => void;
  readonly #breaker: CircuitBreaker;
  readonly #local: LruCache<string, Copy>;
  readonly #inFlight = new Map<string, Promise<Copy>>();
  readonly #maxLoads: number;
  #loading = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(options: FailSafeOptions) {
    const { redis, name, prefix, freshSeconds, staleSeconds, maxConcurrentLoads = 8, localMaxEntries = 1_000 } = options;
    assertTtl(freshSeconds, 'FailSafeCache freshSeconds');
    assertTtl(staleSeconds, 'FailSafeCache staleSeconds');
    if (!Number.isSafeInteger((freshSeconds + staleSeconds) * 1_000)) {
      throw new RangeError(`FailSafeCache: freshSeconds + staleSeconds is more milliseconds than Redis's PX takes (${freshSeconds} + ${staleSeconds} s)`);
    }
    if (typeof name !== 'string' || name.trim() === '') throw new TypeError('FailSafeCache: name is a non-empty string (it labels the metrics and the log)');
    for (const [what, n] of [['maxConcurrentLoads', maxConcurrentLoads], ['localMaxEntries', localMaxEntries]] as const) {
      if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`FailSafeCache: ${what} is a whole number ≥ 1, got ${String(n)}`);
    }
    this.#redis = redis;
    this.#name = name;
    this.#prefix = prefix;
    this.#freshMs = freshSeconds * 1_000;
    this.#staleMs = staleSeconds * 1_000;
    this.#now = options.now ?? Date.now;
    this.#log = options.log ?? ((message) => console.warn(message));
    this.metrics = options.metrics ?? new CacheMetrics();
    this.#maxLoads = maxConcurrentLoads;
    this.#local = new LruCache({ max: localMaxEntries });
    this.#breaker = new CircuitBreaker({
      failureThreshold: 5,
      windowMs: 10_000,
      cooldownMs: 5_000,
      ...options.breaker,
      // Redis answered (WRONGTYPE for a foreign key, OOM when full): not an outage.
      isFailure: (error) => !(error instanceof ReplyError),
      now: this.#now,
      onStateChange: (to, from) => this.#stateChanged(to, from),
    });
  }

  get breakerState(): BreakerState {
    return this.#breaker.state;
  }

  /** The value of `key`: fresh from Redis or memory, else loaded, else a stale copy, else the loader's error. */
  async get<T>(key: string, loader: () => Promise<T>): Promise<CacheResult<T>> {
    assertKey(key, 'FailSafeCache.get');
    if (typeof loader !== 'function') throw new TypeError(`FailSafeCache.get(${key}): the loader must be a function, got ${typeof loader}`);
    const redisKey = `${this.#prefix}${key}`;
    const read = await this.#read(redisKey);
    const now = this.#now();
    const copy = read.copy ?? this.#local.get(redisKey);
    const from = read.copy ? 'redis' : 'memory';

    if (copy !== undefined && now < copy.freshUntil) {
      this.#count('hit');
      if (read.copy) this.#local.set(redisKey, copy);
      // Redis answers but lost the key (a restart, an eviction): refill it from memory, not from the database.
      else if (!read.down) await this.#store(redisKey, copy);
      return { value: copy.value as T, stale: false, from };
    }
    this.#count('miss');
    const usable = copy !== undefined && now < copy.staleUntil ? copy : undefined;
    // Redis is down and we hold a copy we may still serve: spare the database.
    if (read.down && usable) return this.#serveStale(usable, from);
    try {
      const loaded = await this.#load(redisKey, loader);
      return { value: loaded.value as T, stale: false, from: 'loader' };
    } catch (error) {
      if (usable) return this.#serveStale(usable, from);
      throw error;
    }
  }

  #serveStale<T>(copy: Copy, from: 'redis' | 'memory'): CacheResult<T> {
    this.metrics.staleServed(this.#name);
    return { value: copy.value as T, stale: true, from };
  }

  async #read(redisKey: string): Promise<{ copy?: Copy; down: boolean }> {
    let raw: string | null;
    try {
      raw = await this.#breaker.run(() => this.#redis.get(redisKey));
    } catch (error) {
      if (!(error instanceof CircuitOpenError)) this.metrics.error(this.#name);
      // A key of another type (WRONGTYPE): Redis is fine, the key is not ours to read; the load overwrites it.
      return { down: !(error instanceof ReplyError) };
    }
    // Stryker disable next-line ConditionalExpression: decode('null' as JSON.parse reads null) is undefined too
    return { copy: raw === null ? undefined : decode(raw), down: false };
  }

  /** One load per key at a time: later callers share the promise of the first. */
  #load(redisKey: string, loader: () => Promise<unknown>): Promise<Copy> {
    let shared = this.#inFlight.get(redisKey);
    if (shared === undefined) {
      shared = this.#loadAndStore(redisKey, loader).finally(() => this.#inFlight.delete(redisKey));
      this.#inFlight.set(redisKey, shared);
    }
    return shared;
  }

  async #loadAndStore(redisKey: string, loader: () => Promise<unknown>): Promise<Copy> {
    const value = await this.#limited(loader);
    const json = JSON.stringify(value); // undefined for undefined, a function or a symbol: nothing a copy could hold
    if (json === undefined) {
      throw new TypeError(`FailSafeCache ${this.#name}: the loader of ${redisKey} returned ${String(value)}; return null for "none"`);
    }
    const now = this.#now();
    const copy: Copy = { value: JSON.parse(json) as unknown, freshUntil: now + this.#freshMs, staleUntil: now + this.#freshMs + this.#staleMs };
    this.#local.set(redisKey, copy);
    await this.#store(redisKey, copy);
    return copy;
  }

  /** Writes a copy to Redis until its staleUntil: the logical expiry lives inside the value. Never throws. */
  async #store(redisKey: string, copy: Copy): Promise<void> {
    const ttlMs = Math.ceil(copy.staleUntil - this.#now());
    // Stryker disable next-line ConditionalExpression,EqualityOperator: every copy stored is fresh, so staleUntil is at least staleSeconds away; a guard for a clock that jumps
    if (ttlMs < 1) return;
    try {
      await this.#breaker.run(() => this.#redis.set(redisKey, JSON.stringify(copy), 'PX', ttlMs));
    } catch (error) {
      if (!(error instanceof CircuitOpenError)) this.metrics.error(this.#name);
    }
  }

  /** At most maxConcurrentLoads loader calls run at once; the rest wait their turn, first come first served. */
  async #limited<T>(loader: () => Promise<T>): Promise<T> {
    if (this.#loading >= this.#maxLoads) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#loading++;
    const started = this.#now();
    try {
      return await loader();
    } finally {
      this.metrics.loaded(this.#name, Math.max(0, this.#now() - started) / 1_000);
      const next = this.#waiting.shift();
      if (next) next(); // the slot passes to the next in line
      else this.#loading--;
    }
  }

  #count(what: 'hit' | 'miss'): void {
    this.metrics[what](this.#name);
  }

  #stateChanged(to: BreakerState, from: BreakerState): void {
    // Stryker disable next-line ConditionalExpression: from closed the only way is to open
    if (to === 'open' && from === 'closed') {
      this.#log(`cache "${this.#name}": Redis is failing; skipping it and serving from memory and the database until it answers again`);
    } else if (to === 'closed') {
      this.#log(`cache "${this.#name}": Redis answers again`);
    }
  }
}

/** A stored copy, or undefined for anything else under the key (another format, garbage): a miss. */
function decode(raw: string): Copy | undefined {
  try {
    const copy = JSON.parse(raw) as Copy;
    // Stryker disable next-line ConditionalExpression,LogicalOperator: `in` on null or a string throws, and the catch below makes it a miss too
    if (typeof copy === 'object' && copy !== null && 'value' in copy && Number.isFinite(copy.freshUntil) && Number.isFinite(copy.staleUntil)) {
      return copy;
    }
  } catch {
    // not JSON
  }
  return undefined;
}
