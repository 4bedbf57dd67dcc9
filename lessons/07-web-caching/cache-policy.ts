/**
 * Exercise 3 of 12: what a shared HTTP cache may store, and for how long
 * (RFC 9111 §3 and §4.2). Pure functions, no Redis.
 *
 * The source's middleware has these rules too, unwritten: every GET with
 * status 200, for 60 seconds. They are written out below so that each one can
 * fail by name. Run `npm run lesson 7 cache-policy`.
 */
import { todo } from '../../provided/todo.js';
// Given: Cache-Control as a map of directives, delta-seconds read as the RFC says (digits only, capped
// at 2^31), and HTTP-dates read as RFC 9110 writes them (Date.parse is far too lenient for a cache).
import { deltaSeconds, parseCacheControl } from '../../provided/cache-control.js';
import { parseHttpDate } from '../../provided/http-date.js';
import type { StoredResponse } from '../../provided/stored-response.js';

export { MAX_DELTA_SECONDS, parseCacheControl } from '../../provided/cache-control.js';

/** The decisions the middleware delegates: ours below, or the library's (library-way.ts). */
export interface CacheRules {
  /** May a shared cache store this response to this request (RFC 9111 §3)? */
  isStorable(request: Request, response: Response): boolean;
  /** How many seconds the response is fresh for, counted in age (RFC 9111 §4.2.1). */
  freshnessLifetime(response: Response, options?: FreshnessOptions): number;
}

export interface FreshnessOptions {
  /** When the response arrived, in ms: stands in for a missing Date header. Default: Date.now(). */
  now?: number;
  /** Heuristic freshness (10 % of the time since Last-Modified) up to this many seconds; 0, the default, never guesses. */
  heuristicMaxSeconds?: number;
}

/** May a shared cache store this response? Only GET responses; HEAD is answered from them. */
export function isStorable(request: Request, response: Response): boolean {
  return request.method === 'GET' && response.status === 200; // the source: `if response.status_code == 200`
}

/** Seconds of freshness: s-maxage, then max-age, then Expires minus Date. A malformed value means stale (0). */
export function freshnessLifetime(response: Response, options: FreshnessOptions = {}): number {
  void response;
  void options;
  void [parseHttpDate, parseCacheControl, deltaSeconds];
  return 60; // the source: redis_client.setex(cache_key, 60, body), whatever the handler said
}

/** The age a response already had when it arrived, in seconds (§4.2.3). */
export function initialAge(headers: Headers, requestTime: number, responseTime: number): number {
  void headers;
  return todo('07-web-caching', `initialAge(…, ${requestTime}, ${responseTime})`);
}

/** §3.5: may a stored response be reused for this request? One to an authenticated request only where the origin allowed sharing. */
export function mayReuse(stored: StoredResponse, request: Request): boolean {
  void [stored, request];
  return true; // the source hands every stored page to everyone
}

/** The hand-written rules, as the middleware takes them. */
export const rfc9111Rules: CacheRules = { isStorable, freshnessLifetime };

/** RFC 9213: rules that read a targeted field (CDN-Cache-Control) instead of Cache-Control when the response has it (deep tier). */
export function targetedRules(field = 'cdn-cache-control', rules: CacheRules = rfc9111Rules): CacheRules {
  void field;
  return rules;
}
