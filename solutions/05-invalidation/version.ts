/**
 * Invalidation by version (source 9.1): bump one number, and every key of
 * the old version is a miss at once.
 *
 * The source keeps CACHE_VERSION in a Python global. A bump changes it in the
 * one process that made it; the other workers keep reading (and writing) the
 * old version. Here the version lives in Redis, bumped with INCR, so every
 * process reads the same number. Nothing is deleted: the old version's keys
 * are never read again and age out by their TTL.
 */
import type { Redis } from 'ioredis';
import { getJson, setJson, type CacheRead } from '../../provided/json-cache.js';

export class VersionedCache {
  /** Entries live at `${prefix}v<version>:${key}`, the version at `${prefix}version`. */
  constructor(
    readonly redis: Redis,
    readonly prefix: string,
  ) {}

  /** The version every process shares; 0 until the first bump. */
  async version(): Promise<number> {
    return Number((await this.redis.get(this.#versionKey)) ?? 0);
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

  /** Makes every cached entry a miss, in every process, with one INCR; returns the new version. */
  async invalidateAll(): Promise<number> {
    return this.redis.incr(this.#versionKey);
  }

  get #versionKey(): string {
    return `${this.prefix}version`;
  }
}
