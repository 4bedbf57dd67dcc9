/**
 * Errors of the cache itself (source 8.4): where copies live, so that an
 * outage of Redis costs neither a wait nor a database query.
 *
 * The source's safe_cache_get pays for a dead Redis on every request (a
 * refused connection or a timeout), logs every failure, and forgets every
 * value Redis held. A CopyStore
 * - reads and writes Redis through a circuit breaker (exercise 5): after a few
 *   failures Redis is skipped, not waited for;
 * - keeps the last copy it saw of each key in a small in-process LRU, because
 *   while Redis is down its copies are out of reach;
 * - logs once when the outage starts and once when Redis answers again, and
 *   counts every Redis error (not the calls the breaker skipped) for 8.3.
 * What to serve from those copies is FailSafeCache's business (exercise 9).
 */
import { ReplyError, type Redis } from 'ioredis';
import { jsonCodec } from '../../provided/codecs.js';
import { LruCache } from '../../provided/lru-cache.js';
import { CircuitBreaker, CircuitOpenError, type BreakerState, type CircuitBreakerOptions } from './circuit-breaker.js';
import { CacheMetrics } from './metrics.js';

/** What is stored (through lesson 03's jsonCodec, so a Date or a Map comes back as it went in): the value and its two expiries, in ms since the epoch. */
export interface Copy {
  value: unknown;
  /** Until then, a hit. */
  freshUntil: number;
  /** Until then, served when Redis or the loader is down (marked stale). */
  staleUntil: number;
}

export interface CopyStoreOptions {
  redis: Redis;
  /** The cache's name, in its metrics and log lines. */
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

export class CopyStore {
  readonly metrics: CacheMetrics;
  readonly #options: CopyStoreOptions & { log: (message: string) => void };
  readonly #local: LruCache<string, Copy>;
  readonly #breaker: CircuitBreaker;

  constructor(options: CopyStoreOptions) {
    const { name, localMaxEntries = 1_000, log = (line) => console.warn(line) } = options;
    if (typeof name !== 'string' || name.trim() === '') throw new TypeError('CopyStore: name is a non-empty string (it labels the metrics and the log)');
    if (!Number.isSafeInteger(localMaxEntries) || localMaxEntries < 1) throw new RangeError(`CopyStore: localMaxEntries is a whole number ≥ 1, got ${String(localMaxEntries)}`);
    this.#options = { ...options, log };
    this.metrics = options.metrics ?? new CacheMetrics();
    this.#local = new LruCache({ max: localMaxEntries });
    this.#breaker = new CircuitBreaker({
      ...{ failureThreshold: 5, windowMs: 10_000, cooldownMs: 5_000, ...options.breaker },
      now: options.now,
      isFailure: (error) => !(error instanceof ReplyError), // Redis answered (WRONGTYPE, OOM): not an outage
      onStateChange: (to, from) => this.#stateChanged(to, from),
    });
  }

  get breakerState(): BreakerState {
    return this.#breaker.state;
  }

  /** Redis's copy through the breaker, and the last one in memory. Never throws: Redis's errors are counted. */
  async read(key: string): Promise<CopyRead> {
    try {
      const bytes = await this.#breaker.run(() => this.#options.redis.getBuffer(key));
      const copy = bytes === null ? undefined : decode(bytes);
      if (copy) this.#local.set(key, copy);
      return { redis: copy, last: copy ?? this.#local.get(key), down: false };
    } catch (error) {
      this.#failed(error);
      // A key of another type (WRONGTYPE) is Redis answering: the key is not ours to read, and the next write replaces it.
      return { last: this.#local.get(key), down: !(error instanceof ReplyError) };
    }
  }

  /** Keeps the copy in memory and in Redis for ttlSeconds. A value the codec cannot store is a TypeError, before anything is kept; Redis's errors are counted, never thrown. */
  async write(key: string, copy: Copy, ttlSeconds: number): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = jsonCodec.encode(copy);
    } catch (error) {
      throw new TypeError(`cache "${this.#options.name}" cannot store the value of ${key}: ${(error as Error).message}`, { cause: error });
    }
    this.#local.set(key, copy);
    await this.#breaker.run(() => this.#options.redis.set(key, bytes, 'EX', ttlSeconds)).catch((error: unknown) => this.#failed(error));
  }

  /** Skipped calls are not errors: they are the breaker doing its job. */
  #failed(error: unknown): void {
    if (!(error instanceof CircuitOpenError)) this.metrics.error(this.#options.name);
  }

  #stateChanged(to: BreakerState, from: BreakerState): void {
    const { log, name } = this.#options;
    try {
      if (from === 'closed') log(`cache "${name}": Redis is failing; skipping it and serving from memory and the database until it answers again`);
      else if (to === 'closed') log(`cache "${name}": Redis answers again`);
    } catch {
      this.metrics.error(name); // a log line that cannot be written must not keep the breaker from closing
    }
  }
}

/** A stored copy, or undefined for anything else under the key (another format, garbage): a miss, which the next write replaces. */
function decode(bytes: Buffer): Copy | undefined {
  let copy: unknown;
  try {
    copy = jsonCodec.decode(bytes);
  } catch {
    return undefined; // bytes the codec did not write: a CodecError
  }
  const isCopy = typeof copy === 'object' && copy !== null && 'value' in copy;
  return isCopy && Number.isFinite((copy as Copy).freshUntil) && Number.isFinite((copy as Copy).staleUntil) ? (copy as Copy) : undefined;
}
