/**
 * Invalidation by version (source 9.1): bump one number, and every key of
 * the old version is a miss at once.
 *
 * The source keeps CACHE_VERSION in a Python global. A bump changes it in the
 * one process that made it; the other workers keep reading (and writing) the
 * old version. Here the version lives in Redis, bumped with INCR, so every
 * process reads the same number. Nothing is deleted: the old version's keys
 * are never read again and age out by their TTL.
 *
 * A load that read the database before a bump must not store its old answer
 * where readers of the new version look: getOrLoad reads the version before
 * it loads and stores under that version, so a fill that lost the race lands
 * under a version nobody reads any more (dead on arrival).
 *
 * A version key someone overwrote (a string that is not a number, a LIST) is
 * healed, not a crash: the cache moves to a version no entry was written
 * under (the clock in ms, past any count of bumps), so every entry is a miss.
 */
import type { Redis } from 'ioredis';
import { assertKey, assertTtl, getJson, isWrongType, setJson, type CacheRead } from '../../provided/json-cache.js';

export class VersionedCache {
  /** Entries live at `${prefix}v<version>:${key}`, the version at `${prefix}version`. */
  constructor(
    readonly redis: Redis,
    readonly prefix: string,
  ) {}

  /** The version every process shares; 0 until the first bump. */
  async version(): Promise<number> {
    let raw: string | null;
    try {
      raw = await this.redis.get(this.#versionKey);
    } catch (error) {
      if (!isWrongType(error)) throw error;
      return this.#restart();
    }
    if (raw === null) return 0;
    return /^\d{1,15}$/.test(raw) ? Number(raw) : this.#restart();
  }

  /** The key `key` has under the current version. */
  async keyFor(key: string): Promise<string> {
    assertKey(key, 'VersionedCache');
    return `${this.prefix}v${await this.version()}:${key}`;
  }

  async get<T>(key: string): Promise<CacheRead<T>> {
    return getJson<T>(this.redis, await this.keyFor(key));
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    await setJson(this.redis, await this.keyFor(key), value, ttlSeconds);
  }

  /** The cached value, or load()'s, stored under the version read before loading. */
  async getOrLoad<T>(key: string, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
    assertTtl(ttlSeconds, 'VersionedCache.getOrLoad'); // before the load, not after it
    const versioned = await this.keyFor(key);
    const cached = await getJson<T>(this.redis, versioned);
    if (cached.hit) return cached.value;
    const value = await load();
    await setJson(this.redis, versioned, value, ttlSeconds);
    return value;
  }

  /** Makes every cached entry a miss, in every process, with one INCR; returns the new version. */
  async invalidateAll(): Promise<number> {
    try {
      return await this.redis.incr(this.#versionKey);
    } catch (error) {
      if (!(error instanceof Error) || !/WRONGTYPE|not an integer/.test(error.message)) throw error;
      return this.#restart();
    }
  }

  /** A foreign value under the version key: a fresh version makes every entry a miss. */
  async #restart(): Promise<number> {
    const fresh = Date.now();
    await this.redis.set(this.#versionKey, fresh);
    return fresh;
  }

  get #versionKey(): string {
    return `${this.prefix}version`;
  }
}
