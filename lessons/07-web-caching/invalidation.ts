/**
 * Exercise 5 of 12: what a write makes stale (RFC 9111 §4.4).
 *
 * The source never invalidates: after `PUT /doc`, the old `GET /doc` is served
 * until its 60 seconds are up. Run `npm run lesson 7 invalidation`.
 */
// Given: exercise 4's keys.
import { cacheKey, type CacheKeyOptions } from '../../provided/http-cache-parts.js';

/** The cache keys the response to this request makes stale: none after a safe method or a failed write. */
export function invalidatedKeys(prefix: string, request: Request, response: Response, options: CacheKeyOptions = {}): string[] {
  void [prefix, request, response, options, cacheKey];
  return []; // the source: nothing is ever forgotten
}
