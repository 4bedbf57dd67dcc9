/**
 * A tag invalidation that wins over a load already in flight.
 *
 * TaggedCache (tags.ts) removes what a tag's index lists. A load that read the
 * database before the write, and stores after the invalidation, puts the old
 * value back, indexed and alive until its TTL runs out. The index cannot tell
 * that fill from a fresh one; a counter can.
 *
 * Each tag gets a generation, `${prefix}gen:${tag}`, that invalidateTag bumps
 * (INCR) before it removes anything. getOrLoad reads the generations of its
 * tags before it loads and stores them with the value; a read serves an entry
 * only while its generations are still the current ones. The fill that lost
 * the race is stored with the old generations: dead on arrival.
 */
import type { Redis } from 'ioredis';
import { assertKey } from '../../provided/json-cache.js';
import { assertTaggedWrite } from '../../provided/tag-checks.js';
import { TaggedCache, type TaggedCacheOptions } from '../../provided/tagged-cache.js';

/** What an entry holds: the value and the generations of its tags when it was loaded. */
interface Stamped<T> {
  value: T;
  stamp: string;
}

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
    assertTaggedWrite(key, tags, ttlSeconds, 'getOrLoad'); // before the load, not after it
    const stamp = await this.#stamp(tags); // before the load: what it reads is at least this new
    const cached = await this.#tags.get<Stamped<T>>(key);
    if (cached.hit && cached.value?.stamp === stamp) return cached.value.value;
    const value = await load();
    await this.#tags.setWithTags(key, { value, stamp } satisfies Stamped<T>, tags, ttlSeconds);
    return value;
  }

  /** Removes every entry that carries the tag, and makes dead any that a load in flight stores later. */
  async invalidateTag(tag: string): Promise<number> {
    assertKey(tag, 'invalidateTag: the tag');
    const generation = this.#generation(tag);
    try {
      await this.redis.incr(generation); // first: from here on, a load that read the old generation stores a dead entry
    } catch (error) {
      if (!(error instanceof Error) || !/WRONGTYPE|not an integer/.test(error.message)) throw error;
      await this.redis.set(generation, Date.now()); // a foreign value: any new value differs from what a load read
    }
    return this.#tags.invalidateTag(tag);
  }

  /** The tags with their generations now, as one string (a generation never set reads as null). */
  async #stamp(tags: readonly string[]): Promise<string> {
    const keys = tags.map((tag) => this.#generation(tag));
    const generations = keys.length > 0 ? await this.redis.mget(...keys) : keys; // MGET of no keys is an error
    return JSON.stringify(tags.map((tag, i) => [tag, generations[i]]));
  }

  #generation = (tag: string) => `${this.prefix}gen:${tag}`;
}
