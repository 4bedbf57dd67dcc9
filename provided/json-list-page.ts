// The source's way to cache a list (section 3.4), given to lesson 03 for
// comparison: the whole list is one JSON value, and a page is a slice of all
// of it, so page 3 of 10,000 items reads and parses all 10,000.
import type { Redis } from 'ioredis';
import { assertKey, assertPage, isWrongType } from './checks.js';

/** One page of a cached list: `total` is the length of the whole list. */
export type ListPage<T> = { hit: false } | { hit: true; items: T[]; total: number };

export interface PageRequest {
  /** The first item, counted from 0. */
  offset?: number;
  /** How many items at most; default all. */
  limit?: number;
}

export async function getJsonListPage<T>(redis: Redis, key: string, { offset = 0, limit = Infinity }: PageRequest = {}): Promise<ListPage<T>> {
  assertKey(key, 'getJsonListPage');
  assertPage(offset, limit);
  let items: unknown;
  try {
    const raw = await redis.get(key);
    if (raw === null) return { hit: false };
    items = JSON.parse(raw);
  } catch (error) {
    if (!isWrongType(error) && !(error instanceof SyntaxError)) throw error;
  }
  if (!Array.isArray(items)) {
    await redis.unlink(key); // not a list this way wrote: a miss
    return { hit: false };
  }
  return { hit: true, items: items.slice(offset, offset + limit) as T[], total: items.length };
}
