/**
 * Stale-while-revalidate: once a value is past its freshness but not too old,
 * serve it at once and refresh it in the background. Nobody waits for the
 * database, and one refresh per key runs at a time (per process).
 *
 * A value is stored with when it stops being fresh; Redis keeps it for
 * freshSeconds + maxStaleSeconds, after which it is a plain miss and the
 * caller waits for a load. A background refresh that fails is counted and
 * reported, never thrown at a caller: the stale value keeps being served
 * until it is too old.
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
  readonly #loads = new Map<string, Promise<unknown>>();
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
    const { now, onCacheError, maxStaleSeconds } = this.#options;
    const cached = await readOrMiss<unknown>(this.#redis, key, onCacheError);
    // A value of another shape (written by other code) is a miss, and is replaced below.
    const entry = cached.hit && isEntry(cached.value) ? cached.value : undefined;
    if (entry !== undefined) {
      const at = now();
      if (at < entry.freshUntil) {
        this.stats.fresh++;
        return { value: entry.value as T, stale: false };
      }
      if (at < entry.freshUntil + maxStaleSeconds * 1000) {
        this.stats.stale++;
        this.#refresh(key, loader);
        return { value: entry.value as T, stale: true };
      }
    }
    this.stats.misses++;
    return { value: await this.#load(key, loader), stale: false };
  }

  /** Resolves when no load or refresh is running (for a clean shutdown, and for tests). */
  async settled(): Promise<void> {
    while (this.#loads.size > 0) await Promise.allSettled([...this.#loads.values()]);
  }

  /** A refresh nobody waits for: at most one per key, and its failure is counted and reported, never thrown. */
  #refresh<T>(key: string, loader: () => Promise<T>): void {
    if (this.#loads.has(key)) return;
    this.stats.refreshes++;
    this.#load(key, loader)
      .catch((error: unknown) => {
        this.stats.refreshErrors++;
        this.#options.onRefreshError(error);
      })
      .catch(() => {}); // an onRefreshError that throws has nowhere to go, and must not crash Node
  }

  /** One load per key at a time, whether a caller waits for it or not. */
  #load<T>(key: string, loader: () => Promise<T>): Promise<T> {
    const running = this.#loads.get(key) as Promise<T> | undefined;
    if (running) return running;
    const { now, onCacheError, freshSeconds, maxStaleSeconds } = this.#options;
    const load = (async () => {
      const value = await loader();
      const entry: Entry<T> = { value, freshUntil: now() + freshSeconds * 1000 };
      await writeOrReport(this.#redis, key, entry, freshSeconds + maxStaleSeconds, onCacheError);
      return value;
    })();
    this.#loads.set(key, load);
    // Nothing else replaces a running load, so the entry is still this one when it settles.
    const forget = () => this.#loads.delete(key);
    load.then(forget, forget);
    return load;
  }
}
