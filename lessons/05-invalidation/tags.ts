/**
 * Exercise 4 of 6: invalidation by tag, "forget every cached page that
 * shows product 7". The source has none; the README shows two designs and
 * why this one keeps its bookkeeping bounded.
 */
import type { Redis } from 'ioredis';
import type { CacheRead } from '../../provided/json-cache.js';
import { todo } from '../../provided/todo.js';

export interface TaggedCacheOptions {
  /** The clock that dates expiries in the indexes (tests pass a fake one). */
  now?: () => number;
}

export class TaggedCache {
  /** Entries live at `${prefix}entry:${key}`, tag indexes at `${prefix}tag:${tag}`. */
  constructor(
    readonly redis: Redis,
    readonly prefix: string,
    readonly options: TaggedCacheOptions = {},
  ) {}

  async get<T>(key: string): Promise<CacheRead<T>> {
    // TODO: getJson from provided/json-cache.js, at prefix + key.
    return todo('05-invalidation', 'TaggedCache.get');
  }

  async setWithTags(key: string, value: unknown, tags: readonly string[], ttlSeconds: number): Promise<void> {
    // TODO: check the input (toJson from provided/json-cache.js refuses what
    // JSON would store as something else), then in one Lua script (redis.eval):
    // SET the entry with its TTL and, for each tag, drop expired members, add
    // this key scored by its expiry, and expire the index with its
    // longest-lived member. Redis does not undo a script's first writes when a
    // later command fails: what could fail (an index of another type) goes first.
    todo('05-invalidation', 'TaggedCache.setWithTags');
  }

  /** Removes every entry that carries the tag; says how many there were. */
  async invalidateTag(tag: string): Promise<number> {
    // TODO: read the index (ZRANGE), then run a second script given the index
    // and exactly the members you read in KEYS (a script may touch only the
    // keys it is given): UNLINK them, ZREM them, and UNLINK the index once empty.
    return todo('05-invalidation', 'TaggedCache.invalidateTag');
  }
}
