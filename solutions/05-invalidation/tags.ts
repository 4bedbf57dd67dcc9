/**
 * Invalidation by tag: "forget every cached page that shows product 7".
 *
 * Each tag has an index, a sorted set of the keys that carry it, scored by
 * when each key expires. Two rules keep that bookkeeping honest:
 * - Atomic: the entry and its indexes are written by one Lua script, so no
 *   entry ever exists that its tag cannot find (and invalidateTag reads and
 *   removes in one script, so no write slips in between).
 * - Bounded: every write drops the members that have expired by now, and the
 *   index expires with its longest-lived member. A busy tag holds only the
 *   keys alive now, never every key it was ever given.
 * The README weighs this against per-tag version counters.
 */
import type { Redis } from 'ioredis';
import { getJson, type CacheRead } from '../../provided/json-cache.js';

// KEYS[1]: the entry, KEYS[2..]: its tags' indexes. ARGV: json, ttl ms, now ms, expiry ms.
const SET_WITH_TAGS = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
for i = 2, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', ARGV[3])
  redis.call('ZADD', KEYS[i], ARGV[4], KEYS[1])
  local newest = redis.call('ZRANGE', KEYS[i], -1, -1, 'WITHSCORES')
  redis.call('PEXPIRE', KEYS[i], tonumber(newest[2]) - tonumber(ARGV[3]))
end`;

// KEYS[1]: the tag's index. Removes its members, then the index; returns how many members existed.
const INVALIDATE_TAG = `
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
local removed = 0
for i = 1, #members, 500 do
  removed = removed + redis.call('UNLINK', unpack(members, i, math.min(i + 499, #members)))
end
redis.call('UNLINK', KEYS[1])
return removed`;

export interface TaggedCacheOptions {
  /** The clock that dates expiries in the indexes (tests pass a fake one). */
  now?: () => number;
}

export class TaggedCache {
  readonly #now: () => number;

  /** Entries live at `${prefix}${key}`, tag indexes at `${prefix}tag:${tag}`. */
  constructor(
    readonly redis: Redis,
    readonly prefix: string,
    { now = Date.now }: TaggedCacheOptions = {},
  ) {
    this.#now = now;
  }

  async get<T>(key: string): Promise<CacheRead<T>> {
    return getJson<T>(this.redis, this.prefix + key);
  }

  async setWithTags(key: string, value: unknown, tags: readonly string[], ttlSeconds: number): Promise<void> {
    if (key === '') throw new TypeError('setWithTags: the key is empty');
    if (tags.some((tag) => tag === '')) throw new TypeError('setWithTags: a tag is empty');
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) {
      throw new RangeError(`setWithTags: ttlSeconds must be a positive integer, got ${String(ttlSeconds)}`);
    }
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError(`setWithTags: ${typeof value} cannot be stored as JSON`);

    const ttlMs = ttlSeconds * 1000;
    const now = this.#now();
    const indexes = [...new Set(tags)].map((tag) => this.#index(tag));
    await this.redis.eval(SET_WITH_TAGS, 1 + indexes.length, this.prefix + key, ...indexes, json, ttlMs, now, now + ttlMs);
  }

  /** Removes every entry that carries the tag; says how many there were. */
  async invalidateTag(tag: string): Promise<number> {
    if (tag === '') throw new TypeError('invalidateTag: the tag is empty');
    return (await this.redis.eval(INVALIDATE_TAG, 1, this.#index(tag))) as number;
  }

  #index(tag: string): string {
    return `${this.prefix}tag:${tag}`;
  }
}
