/**
 * Exercise 6 of 6: a tag invalidation that wins over a load already in flight.
 *
 * This version loads on a miss and stores what it loaded with TaggedCache
 * (given: provided/tagged-cache.ts). A load that read the database before a
 * write and stores after the tag's invalidation puts the old value back, and
 * every reader gets it until its TTL runs out. The specs hold a load, run the
 * invalidation, then let the load finish.
 */
import type { Redis } from 'ioredis';
import { TaggedCache, type TaggedCacheOptions } from '../../provided/tagged-cache.js';

export class LoadingTaggedCache {
  readonly #tags: TaggedCache;

  /** Entries and indexes as TaggedCache keeps them; generations at `${prefix}gen:${tag}`. */
  constructor(
    readonly redis: Redis,
    readonly prefix: string,
    options: TaggedCacheOptions = {},
  ) {
    this.#tags = new TaggedCache(redis, prefix, options);
  }

  /** The cached value, if no tag of it was invalidated since it was loaded; otherwise load()'s, stored. */
  async getOrLoad<T>(key: string, tags: readonly string[], ttlSeconds: number, load: () => Promise<T>): Promise<T> {
    // TODO: read the tags' generations (MGET of prefix + 'gen:' + tag) before
    // the load, store them with the value, and serve an entry only while they
    // are still the current ones.
    const cached = await this.#tags.get<T>(key);
    if (cached.hit) return cached.value;
    const value = await load();
    await this.#tags.setWithTags(key, value, tags, ttlSeconds);
    return value;
  }

  /** Removes every entry that carries the tag, and makes dead any that a load in flight stores later. */
  async invalidateTag(tag: string): Promise<number> {
    // TODO: bump the tag's generation (INCR) first, then remove its entries.
    return this.#tags.invalidateTag(tag);
  }
}
