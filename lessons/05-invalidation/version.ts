/**
 * Exercise 5 of 6: invalidation by version (source 9.1).
 *
 * This is the source's version: CACHE_VERSION lives in the process, so a
 * bump is seen by the one process that made it. Run the specs with two
 * "processes" and watch the second keep serving the old version.
 */
import type { Redis } from 'ioredis';
import { getJson, setJson, type CacheRead } from '../../provided/json-cache.js';

export class VersionedCache {
  // TODO: the source's global. Keep the version in Redis instead (GET / INCR),
  // and survive a version key someone overwrote (not a number, or a LIST).
  #version = 1;

  /** Entries live at `${prefix}v<version>:${key}`, the version at `${prefix}version`. */
  constructor(
    readonly redis: Redis,
    readonly prefix: string,
  ) {}

  /** The version every process shares; 0 until the first bump. */
  async version(): Promise<number> {
    return this.#version;
  }

  /** The key `key` has under the current version. */
  async keyFor(key: string): Promise<string> {
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
    // TODO: a bump while load() runs must win: read the version once, before
    // the load, and store under that one (set() reads it again, after).
    const cached = await this.get<T>(key);
    if (cached.hit) return cached.value;
    const value = await load();
    await this.set(key, value, ttlSeconds);
    return value;
  }

  /** Makes every cached entry a miss, in every process, with one INCR; returns the new version. */
  async invalidateAll(): Promise<number> {
    return ++this.#version;
  }
}
