/**
 * Exercise 5 of 5: lists in Redis (source 3.4).
 *
 * The source caches a list as one JSON value (getJsonListPage, given at the
 * bottom, shows how paging works then: read it all, slice it). setList below is the first thing
 * everyone writes for a Redis LIST: RPUSH, then EXPIRE. Run the specs: it
 * appends, it cannot store [], and a crash between the two lines leaves a list
 * that never expires.
 */
import type { Redis } from 'ioredis';
import { todo } from '../../provided/todo.js';

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
  // TODO: check key, TTL and items (toJson in json-cache.ts); DEL, RPUSH with
  // LIST_MARKER first, and EXPIRE, all in one redis.multi()…exec().
  await redis.rpush(key, ...items.map((item) => JSON.stringify(item)));
  await redis.expire(key, ttlSeconds);
}

export async function getListPage<T>(redis: Redis, key: string, page: PageRequest = {}): Promise<ListPage<T>> {
  // TODO: LLEN, LINDEX 0 and LRANGE in one MULTI. Length 0 is a miss; the marker takes index 0.
  return todo('03-redis-caching', `getListPage(${key}, ${JSON.stringify(page)})`);
}

// Given: the source's way, for comparison. The whole list is one JSON value,
// and a page is a slice of all of it.
export { getJsonListPage } from '../../solutions/03-redis-caching/list-cache.js';
