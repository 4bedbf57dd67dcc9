/**
 * Exercise 6 of 6: stale-while-revalidate. Past its freshness, a value that is
 * not too old is served at once while one refresh runs in the background, so
 * nobody waits for the database.
 *
 * Below, an expired value makes its caller wait, and every caller loads. The
 * options, their checks and the stored shape are given.
 * Run `npm run lesson 10 stale-while-revalidate`.
 */
import type { Redis } from 'ioredis';
import { assertKey, assertTtl } from '../../provided/json-cache.js';
import { readOrMiss, writeOrReport } from '../../provided/safe-json-cache.js';

export interface SwrOptions {
  /** How long a loaded value is served as fresh. */
  freshSeconds: number;
  /** How long after that it may still be served, stale, while a refresh runs. */
  maxStaleSeconds: number;
  now?: () => number;
  onCacheError?: (error: unknown) => void;
  /** A background refresh failed: the caller already has its (stale) answer. */
  onRefreshError?: (error: unknown) => void;
}

export interface SwrResult<T> {
  value: T;
  /** True when the value is past its freshness (a refresh is on its way). */
  stale: boolean;
}

/** What is stored: the value, and when it stops being fresh (ms on the writer's clock). */
interface Entry<T> {
  value: T;
  freshUntil: number;
}

/** Whether what Redis held is an Entry; anything else (another writer, an old release) is a miss. */
const isEntry = (entry: unknown): entry is Entry<unknown> =>
  typeof entry === 'object' && entry !== null && 'value' in entry && Number.isFinite((entry as Entry<unknown>).freshUntil);

export class SwrCache {
  readonly #redis: Redis;
  readonly #options: Required<SwrOptions>;
  /** What the cache did, for monitoring (lesson 08). */
  readonly stats = { fresh: 0, stale: 0, misses: 0, refreshes: 0, refreshErrors: 0 };

  constructor(redis: Redis, options: SwrOptions) {
    assertTtl(options.freshSeconds, 'SwrCache freshSeconds');
    assertTtl(options.maxStaleSeconds, 'SwrCache maxStaleSeconds');
    assertTtl(options.freshSeconds + options.maxStaleSeconds, 'SwrCache freshSeconds + maxStaleSeconds');
    this.#redis = redis;
    const { now = Date.now, onCacheError = () => {}, onRefreshError = () => {} } = options;
    this.#options = { ...options, now, onCacheError, onRefreshError };
  }

  async get<T>(key: string, loader: () => Promise<T>): Promise<SwrResult<T>> {
    assertKey(key, 'SwrCache.get');
    const { freshSeconds, maxStaleSeconds, onCacheError } = this.#options;
    void isEntry; // yours to use
    // TODO: store an Entry; serve a stale value at once and refresh it in the background, once per key.
    const cached = await readOrMiss<T>(this.#redis, key, onCacheError);
    if (cached.hit) return { value: cached.value, stale: false };
    const value = await loader();
    await writeOrReport(this.#redis, key, value, freshSeconds + maxStaleSeconds, onCacheError);
    return { value, stale: false };
  }

  /** Resolves when no load or refresh is running (for a clean shutdown, and for tests). */
  async settled(): Promise<void> {
    // TODO
  }
}
