/**
 * Exercise 7 of 12: revalidation (RFC 9111 §4.3). The cache asks the handler
 * whether a stale response changed, and a 304 freshens what it holds.
 *
 * The source never revalidates: after 60 seconds the whole page is fetched and
 * sent again, changed or not. Run `npm run lesson 7 revalidation`.
 */
import type { Context, Next } from 'hono';
import { todo } from '../../provided/todo.js';
// Given: exercise 3's rules, HTTP-dates, and the stored form of a response.
import { initialAge, type CacheRules } from '../../provided/http-cache-parts.js';
import { storedHeaders, type StoredResponse } from '../../provided/stored-response.js';

/** The conditional header fields that ask whether `stored` changed: none when it has no validator. */
export function validatorsOf(stored: StoredResponse): Array<[string, string]> {
  void stored;
  return []; // the source keeps no ETag, no Last-Modified: nothing to ask with
}

/** Runs the handler with `stored`'s validators: a 304's header fields, or undefined (the new response is in c.res). */
export async function revalidate(c: Context, next: Next, stored: StoredResponse): Promise<Headers | undefined> {
  void stored;
  await next();
  return undefined;
}

/** §4.3.4: a 304's fields replace the stored ones (all but Content-Length), and the clock restarts. */
export function freshen(stored: StoredResponse, notModified: Headers, requestTime: number, rules: CacheRules, heuristicMaxSeconds = 0): StoredResponse {
  void [notModified, requestTime, rules, heuristicMaxSeconds, initialAge, storedHeaders];
  return todo('07-web-caching', `freshen(${stored.status})`);
}
