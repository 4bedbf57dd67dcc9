/**
 * Exercise 5 of 5: lists in Redis (source 3.4).
 *
 * The source caches a list as one JSON value (getJsonListPage, given from
 * provided/, shows how paging works then: read it all, slice it). setList
 * below is the first thing everyone writes for a Redis LIST: RPUSH, then
 * EXPIRE. Run the specs: it appends, it cannot store [], it overflows the call
 * stack on a big list, and a crash between the two lines leaves a list that
 * never expires.
 */
import type { Redis } from 'ioredis';
import type { ListPage, PageRequest } from '../../provided/json-list-page.js';
import { todo } from '../../provided/todo.js';

/** Index 0 of every cached list. Known by position, so no item can be taken for it. */
export const LIST_MARKER = '<cachelings:list>';

// Given (provided/json-list-page.ts): the page types, and the source's way for comparison.
export { getJsonListPage, type ListPage, type PageRequest } from '../../provided/json-list-page.js';

export async function setList(redis: Redis, key: string, items: readonly unknown[], ttlSeconds: number): Promise<void> {
  // TODO: check key, TTL and items (provided/checks.ts, provided/to-json.ts);
  // DEL, RPUSH with LIST_MARKER first, and EXPIRE, all in one redis.multi()…exec().
  // And what does rpush(key, ...items) do with 150,000 items?
  await redis.rpush(key, ...items.map((item) => JSON.stringify(item)));
  await redis.expire(key, ttlSeconds);
}

export async function getListPage<T>(redis: Redis, key: string, page: PageRequest = {}): Promise<ListPage<T>> {
  // TODO: LLEN, LINDEX 0 and LRANGE in one MULTI. Length 0 is a miss; the marker takes index 0.
  // A key of another type (WRONGTYPE, isWrongType in provided/checks.ts) is a miss too.
  return todo('03-redis-caching', `getListPage(${key}, ${JSON.stringify(page)})`);
}
