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
 *   find.
 * - Bounded: every write drops the members that have expired by now, and the
 *   index lives as long as its longest-lived member. A busy tag holds only
 *   the keys alive now, never every key it was ever given.
 * A script may touch only the keys it is given in KEYS, so invalidateTag reads
 * the index first, then gives a second script exactly the keys it read.
 */
import type { Redis } from 'ioredis';
import { assertKey, getJson, isWrongType, toJson, type CacheRead } from '../../provided/json-cache.js';
import { assertTaggedWrite } from '../../provided/tag-checks.js';

// KEYS[1]: the entry, KEYS[2..]: its tags' indexes. ARGV: json, ttl ms, now ms, expiry ms.
// ZCARD fails only on a key of another type: that key goes before anything is written.
const SET_WITH_TAGS = `
for i = 2, #KEYS do
  if type(redis.pcall('ZCARD', KEYS[i])) ~= 'number' then redis.call('UNLINK', KEYS[i]) end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
for i = 2, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', ARGV[3])
  redis.call('ZADD', KEYS[i], ARGV[4], KEYS[1])
  if redis.call('PTTL', KEYS[i]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
end`;

// KEYS[1]: the index, KEYS[2..]: members read from it. Removes those (one written since stays,
// with its place in the index), and the index once it is empty.
const REMOVE_MEMBERS = `
local removed = redis.call('UNLINK', unpack(KEYS, 2))
redis.call('ZREM', KEYS[1], unpack(KEYS, 2))
if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('UNLINK', KEYS[1]) end
return removed`;

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
    assertKey(key, 'TaggedCache.get');
    return getJson<T>(this.redis, this.#entry(key));
  }

  async setWithTags(key: string, value: unknown, tags: readonly string[], ttlSeconds: number): Promise<void> {
    assertTaggedWrite(key, tags, ttlSeconds, 'setWithTags');
    const json = toJson(value, `setWithTags(${key})`);
    const now = (this.options.now ?? Date.now)();
    // Checked here: ZADD would refuse it halfway through the script.
    if (!Number.isSafeInteger(now)) throw new RangeError(`setWithTags: the clock (now) must read whole milliseconds, got ${String(now)}`);
    const indexes = [...new Set(tags)].map((tag) => this.#index(tag));
    const ttlMs = ttlSeconds * 1000;
    await this.redis.eval(SET_WITH_TAGS, 1 + indexes.length, this.#entry(key), ...indexes, json, ttlMs, now, now + ttlMs);
  }

  /** Removes every entry that carries the tag; says how many there were. */
  async invalidateTag(tag: string): Promise<number> {
    assertKey(tag, 'invalidateTag: the tag');
    const index = this.#index(tag);
    let members: string[];
    try {
      members = await this.redis.zrange(index, 0, -1);
    } catch (error) {
      if (!isWrongType(error)) throw error;
      await this.redis.unlink(index); // a foreign value where the index should be: nothing of ours to remove
      return 0;
    }
    let removed = 0;
    // 500 keys to a script: Lua's unpack() has a limit, and no one call holds the server long.
    for (let i = 0; i < members.length; i += 500) {
      const batch = members.slice(i, i + 500);
      removed += (await this.redis.eval(REMOVE_MEMBERS, 1 + batch.length, index, ...batch)) as number;
    }
    return removed;
  }

  #entry = (key: string) => `${this.prefix}entry:${key}`;
  #index = (tag: string) => `${this.prefix}tag:${tag}`;
}
