/**
 * Invalidation by tag: "forget every cached page that shows product 7".
 *
 * Each tag has an index, a sorted set of the keys that carry it, scored by
 * when each key expires. Three rules keep that bookkeeping honest:
 * - Separate namespaces: entries live under `entry:`, indexes under `tag:`,
 *   so no entry name (not even `tag:home`) can overwrite an index.
 * - All or nothing: the entry and its indexes are written by one Lua script
 *   that checks before it writes. Redis does not undo a script's writes when
 *   a later command fails, so the script first deletes any index key holding
 *   another type (a foreign value is a miss, and the cache heals itself);
 *   then no command in it can fail, and no entry exists that its tag cannot
 *   find. invalidateTag reads and removes in one script, so no write slips in.
 * - Bounded: every write drops the members that have expired by now, and the
 *   index expires with its longest-lived member. A busy tag holds only the
 *   keys alive now, never every key it was ever given.
 * The README weighs this against per-tag version counters.
 */
import type { Redis } from 'ioredis';
import { assertKey, assertTtl, getJson, toJson, type CacheRead } from '../../provided/json-cache.js';

// Redis answers TYPE with a status reply: a table { ok = 'zset' } inside Lua.
const TYPE_OF = `
local function type_of(key)
  local t = redis.call('TYPE', key)
  if type(t) == 'table' then return t.ok end
  return t
end`;

// KEYS[1]: the entry, KEYS[2..]: its tags' indexes. ARGV: json, ttl ms, now ms, expiry ms.
const SET_WITH_TAGS = `${TYPE_OF}
for i = 2, #KEYS do
  local t = type_of(KEYS[i])
  if t ~= 'zset' and t ~= 'none' then redis.call('UNLINK', KEYS[i]) end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
for i = 2, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', ARGV[3])
  redis.call('ZADD', KEYS[i], ARGV[4], KEYS[1])
  local newest = redis.call('ZRANGE', KEYS[i], -1, -1, 'WITHSCORES')
  redis.call('PEXPIRE', KEYS[i], tonumber(newest[2]) - tonumber(ARGV[3]))
end`;

// KEYS[1]: the tag's index. Removes its members, then the index; returns how many members existed.
const INVALIDATE_TAG = `${TYPE_OF}
if type_of(KEYS[1]) ~= 'zset' then
  redis.call('UNLINK', KEYS[1])
  return 0
end
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

  /** Entries live at `${prefix}entry:${key}`, tag indexes at `${prefix}tag:${tag}`. */
  constructor(
    readonly redis: Redis,
    readonly prefix: string,
    { now = Date.now }: TaggedCacheOptions = {},
  ) {
    this.#now = now;
  }

  async get<T>(key: string): Promise<CacheRead<T>> {
    assertKey(key, 'TaggedCache.get');
    return getJson<T>(this.redis, this.#entry(key));
  }

  async setWithTags(key: string, value: unknown, tags: readonly string[], ttlSeconds: number): Promise<void> {
    assertKey(key, 'setWithTags');
    if (!Array.isArray(tags)) throw new TypeError(`setWithTags(${key}): tags must be an array of tag names`);
    for (const tag of tags) assertKey(tag, `setWithTags(${key}): a tag`);
    assertTtl(ttlSeconds, 'setWithTags');
    const json = toJson(value, `setWithTags(${key})`);

    const ttlMs = ttlSeconds * 1000;
    const now = this.#now();
    // Checked here: PEXPIRE would refuse it halfway through the script.
    if (!Number.isSafeInteger(now)) throw new RangeError(`setWithTags: the clock must read whole milliseconds, got ${String(now)}`);
    const indexes = [...new Set(tags)].map((tag) => this.#index(tag));
    await this.redis.eval(SET_WITH_TAGS, 1 + indexes.length, this.#entry(key), ...indexes, json, ttlMs, now, now + ttlMs);
  }

  /** Removes every entry that carries the tag; says how many there were. */
  async invalidateTag(tag: string): Promise<number> {
    assertKey(tag, 'invalidateTag: the tag');
    return (await this.redis.eval(INVALIDATE_TAG, 1, this.#index(tag))) as number;
  }

  #entry(key: string): string {
    return `${this.prefix}entry:${key}`;
  }

  #index(tag: string): string {
    return `${this.prefix}tag:${tag}`;
  }
}
