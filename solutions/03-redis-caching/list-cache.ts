/**
 * Lists in Redis (source 3.4): one JSON value, or a Redis LIST.
 *
 * The source stores a list as one JSON string: simple, but page 3 of 10,000
 * items means fetching and parsing all 10,000. A Redis LIST hands out pages
 * with LRANGE. Two things make it correct:
 * - DEL, RPUSH and EXPIRE go in one MULTI: a crash between RPUSH and EXPIRE
 *   would leave a list that never expires, and a second write would append.
 * - Redis deletes a list with its last element, so an empty list cannot be
 *   stored. Every cached list starts with a marker element: length 0 is a
 *   miss, length 1 a cached empty list, and items are counted from index 1.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import { assertKey, assertTtl, getJson, toJson } from './json-cache.js';

/** Index 0 of every cached list. Known by position, so no item can be taken for it. */
export const LIST_MARKER = '<cachelings:list>';

/** One page of a cached list: `total` is the length of the whole list. */
export type ListPage<T> = { hit: false } | { hit: true; items: T[]; total: number };

export interface PageRequest {
  /** The first item, counted from 0. */
  offset?: number;
  /** How many items at most; default all. */
  limit?: number;
}

export async function setList(redis: Redis, key: string, items: readonly unknown[], ttlSeconds: number): Promise<void> {
  assertKey(key, 'setList');
  assertTtl(ttlSeconds, 'setList');
  if (!Array.isArray(items)) throw new TypeError(`setList(${key}): items must be an array`);
  const encoded = items.map((item, i) => toJson(item, `setList(${key}) item ${i}`));
  await execOrThrow(redis.multi().del(key).rpush(key, LIST_MARKER, ...encoded).expire(key, ttlSeconds));
}

export async function getListPage<T>(redis: Redis, key: string, { offset = 0, limit = Infinity }: PageRequest = {}): Promise<ListPage<T>> {
  assertKey(key, 'getListPage');
  assertPage(offset, limit);
  const last = limit === Infinity ? -1 : offset + limit; // LRANGE includes its stop; the marker shifts items by 1
  const [length, marker, raw] = (await execOrThrow(
    redis.multi().llen(key).lindex(key, 0).lrange(key, offset + 1, last),
  )) as [number, string | null, string[]];
  if (length === 0) return { hit: false };
  try {
    if (marker !== LIST_MARKER) throw new Error('not a list this module wrote');
    return { hit: true, items: raw.map((item) => JSON.parse(item) as T), total: length - 1 };
  } catch {
    await redis.unlink(key); // garbage is a miss, not a crash
    return { hit: false };
  }
}

/** The source's way, for comparison: the whole list is one JSON value, and a page is a slice of all of it. */
export async function getJsonListPage<T>(redis: Redis, key: string, { offset = 0, limit = Infinity }: PageRequest = {}): Promise<ListPage<T>> {
  assertPage(offset, limit);
  const read = await getJson<T[]>(redis, key);
  if (!read.hit || !Array.isArray(read.value)) return { hit: false };
  return { hit: true, items: read.value.slice(offset, offset + limit), total: read.value.length };
}

function assertPage(offset: number, limit: number): void {
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset must be a whole number >= 0, got ${offset}`);
  if (!(Number.isInteger(limit) && limit >= 0) && limit !== Infinity) throw new RangeError(`limit must be a whole number >= 0, got ${limit}`);
}

/** EXEC answers [error, result] per command; an error in any of them is an error of the whole call. */
async function execOrThrow(transaction: ChainableCommander): Promise<unknown[]> {
  const replies = await transaction.exec();
  if (!replies) throw new Error('the transaction was aborted');
  return replies.map(([error, result]) => {
    if (error) throw error;
    return result;
  });
}
