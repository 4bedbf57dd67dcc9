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
 * - A big list goes in chunks: `rpush(key, ...items)` spreads every item onto
 *   the call stack, and 150,000 of them overflow it. The chunks are still in
 *   the one MULTI, so readers see the whole list or none of it.
 * - A key that holds something else (a string: Redis answers LLEN with
 *   WRONGTYPE) is a miss, deleted so that the next setList heals it.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import { assertKey, assertPage, assertTtl, isWrongType } from '../../provided/checks.js';
import { toJson } from '../../provided/to-json.js';
import type { ListPage, PageRequest } from '../../provided/json-list-page.js';

/** Index 0 of every cached list. Known by position, so no item can be taken for it. */
export const LIST_MARKER = '<cachelings:list>';

/** Items per RPUSH: small enough for any call stack, big enough to be few commands. */
const RPUSH_CHUNK = 1_000;

// Given (provided/json-list-page.ts): the page types, and the source's one-JSON-value way, for comparison.
export { getJsonListPage, type ListPage, type PageRequest } from '../../provided/json-list-page.js';

export async function setList(redis: Redis, key: string, items: readonly unknown[], ttlSeconds: number): Promise<void> {
  assertKey(key, 'setList');
  assertTtl(ttlSeconds, 'setList');
  if (!Array.isArray(items)) throw new TypeError(`setList(${key}): items must be an array`);
  const encoded = [LIST_MARKER, ...items.map((item, i) => toJson(item, `setList(${key}) item ${i}`))];
  const transaction = redis.multi().del(key);
  for (let start = 0; start < encoded.length; start += RPUSH_CHUNK) {
    transaction.rpush(key, ...encoded.slice(start, start + RPUSH_CHUNK));
  }
  await execOrThrow(transaction.expire(key, ttlSeconds));
}

export async function getListPage<T>(redis: Redis, key: string, { offset = 0, limit = Infinity }: PageRequest = {}): Promise<ListPage<T>> {
  assertKey(key, 'getListPage');
  assertPage(offset, limit);
  const last = limit === Infinity ? -1 : offset + limit; // LRANGE includes its stop; the marker shifts items by 1
  let length: number, marker: string | null, raw: string[];
  try {
    [length, marker, raw] = (await execOrThrow(
      redis.multi().llen(key).lindex(key, 0).lrange(key, offset + 1, last),
    )) as [number, string | null, string[]];
  } catch (error) {
    if (!isWrongType(error)) throw error; // Redis is down: the caller decides
    return forget(redis, key); // a key of another type
  }
  if (length === 0) return { hit: false };
  const items = marker === LIST_MARKER ? parseAll<T>(raw) : undefined;
  return items ? { hit: true, items, total: length - 1 } : forget(redis, key); // garbage, or not ours: a miss
}

/** A foreign value under our key: delete it, and call it a miss. */
async function forget(redis: Redis, key: string): Promise<{ hit: false }> {
  await redis.unlink(key);
  return { hit: false };
}

/** Every item parsed, or undefined when one of them is not JSON. */
function parseAll<T>(raw: string[]): T[] | undefined {
  try {
    return raw.map((item) => JSON.parse(item) as T);
  } catch {
    // an item that is not JSON: the whole list is garbage
  }
  return undefined;
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
