/**
 * Priorities in Redis (source 9.3): what eviction actually reads.
 *
 * The source writes `{"value", "priority": 10, "timestamp"}` into the value.
 * Redis never looks inside a value: when memory runs out, a priority-10 key is
 * evicted exactly like a priority-1 key. What Redis does read is whether a key
 * has a TTL. Under a `volatile-*` policy (volatile-lru, volatile-lfu…) only
 * keys with a TTL are eviction candidates, so:
 * - an ordinary entry is written with a TTL: it may be evicted;
 * - a pinned entry is written without one: it is never evicted;
 * - and since nothing evicts pinned entries, they need a bound of their own:
 *   an index (a sorted set, oldest pin first) that keeps at most `maxPinned`,
 *   unpinning and deleting the oldest when a new one comes in.
 * The index has no TTL either, so it is never evicted. Every script names each
 * key it touches in KEYS, as Redis requires: which pin to drop is read first,
 * then dropped only if it is still the oldest.
 */
import type { Redis } from 'ioredis';
import { assertKey, assertTtl, getJson, toJson, type CacheRead } from '../../provided/json-cache.js';

export interface PinnedCacheOptions {
  /** The most pinned entries there may be; pinning one more deletes the oldest. */
  maxPinned: number;
  /** Orders the pins; Date.now by default. */
  now?: () => number;
}

// Two scripts, each touching only the keys it is given in KEYS (Redis's rule for scripts, and
// on a cluster the keys must share a slot): no moment where the bound is broken or a pin is unlisted.
// PIN: SET without a TTL and ZADD to the index, unless the index is full and the key is not in it.
const PIN = `
if not redis.call('ZSCORE', KEYS[1], KEYS[2]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('SET', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[1], ARGV[2], KEYS[2])
return 1`;
// UNPIN: delete the pin the client read as the oldest, if it still is, and the index is still full.
const UNPIN = `
if redis.call('ZRANGE', KEYS[1], 0, 0)[1] ~= KEYS[2] or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then return 0 end
redis.call('ZREM', KEYS[1], KEYS[2])
redis.call('UNLINK', KEYS[2])
return 1`;

export class PinnedCache {
  readonly maxPinned: number;
  readonly #now: () => number;

  constructor(
    readonly redis: Redis,
    readonly prefix: string,
    { maxPinned, now = Date.now }: PinnedCacheOptions,
  ) {
    if (!Number.isSafeInteger(maxPinned) || maxPinned < 1) {
      throw new RangeError(`PinnedCache: maxPinned must be a positive integer, got ${String(maxPinned)}`);
    }
    this.maxPinned = maxPinned;
    this.#now = now;
  }

  /** An ordinary entry: it has a TTL, so a volatile-* policy may evict it under memory pressure. */
  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    assertKey(key, 'PinnedCache.set');
    assertTtl(ttlSeconds, 'PinnedCache.set');
    const json = toJson(value, `PinnedCache.set(${key})`);
    const full = this.keyFor(key);
    // A pinned key written as ordinary is no longer pinned: it leaves the index.
    const results = (await this.redis.multi().set(full, json, 'EX', ttlSeconds).zrem(this.#indexKey, full).exec())!; // null only when a WATCH failed
    for (const [error] of results) if (error) throw error; // an error Redis answered inside the transaction
  }

  /** An entry that must survive memory pressure: no TTL, and counted against maxPinned. When the pins are full, the oldest goes. */
  async pin(key: string, value: unknown): Promise<void> {
    assertKey(key, 'PinnedCache.pin');
    const json = toJson(value, `PinnedCache.pin(${key})`);
    const at = this.#now();
    if (!Number.isFinite(at)) throw new RangeError(`PinnedCache.pin: the clock said ${String(at)}; a pin needs a finite time`);
    while ((await this.redis.eval(PIN, 2, this.#indexKey, this.keyFor(key), json, at, this.maxPinned)) === 0) {
      const [oldest] = await this.redis.zrange(this.#indexKey, 0, 0);
      if (oldest !== undefined) await this.redis.eval(UNPIN, 2, this.#indexKey, oldest, this.maxPinned);
    }
  }

  async get<T>(key: string): Promise<CacheRead<T>> {
    assertKey(key, 'PinnedCache.get');
    return getJson<T>(this.redis, this.keyFor(key));
  }

  /** The keys pinned now, oldest pin first. */
  async pinned(): Promise<string[]> {
    const keys = await this.redis.zrange(this.#indexKey, 0, -1);
    return keys.map((key) => key.slice(this.keyFor('').length));
  }

  /** Where an entry lives. Entries under entry:, the index beside them: no key a caller passes can be the index. */
  keyFor(key: string): string {
    return `${this.prefix}entry:${key}`;
  }

  get #indexKey(): string {
    return `${this.prefix}pins`;
  }
}
