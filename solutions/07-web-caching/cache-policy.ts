/**
 * What a shared HTTP cache may store, and for how long (RFC 9111, sections 3
 * and 4.2). Pure functions: no Redis, no clock of their own, so every rule is
 * one line of a table in the spec.
 *
 * The middleware in http-cache.ts asks two questions through `CacheRules`:
 * may I store this response, and how long is it fresh? library-way.ts answers
 * the same two questions with http-cache-semantics.
 */
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

/** Cacheable without explicit freshness (RFC 9110 §15.1), less 206: this cache does not store ranges. */
const CACHEABLE_BY_DEFAULT = new Set([200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501]);

/** May a shared cache store this response? Only GET responses; HEAD is answered from them. */
export function isStorable(request: Request, response: Response): boolean {
  if (request.method !== 'GET') return false;
  if (response.status === 206 || response.status === 304) return false;
  const asked = parseCacheControl(request.headers.get('cache-control'));
  const said = parseCacheControl(response.headers.get('cache-control'));
  if (asked.has('no-store') || said.has('no-store')) return false;
  if (said.has('private')) return false; // one user's answer, in a cache every user shares
  if (response.headers.has('set-cookie')) return false; // replayed, it would log everyone in as that user
  if (response.headers.get('vary')?.split(',').some((name) => name.trim() === '*')) return false; // varies on what no header shows
  // §3.5: an authenticated request's answer is shared only when the origin says so.
  if (request.headers.has('authorization') && !['public', 's-maxage', 'must-revalidate'].some((d) => said.has(d))) {
    return false;
  }
  const explicit = ['public', 's-maxage', 'max-age'].some((d) => said.has(d)) || response.headers.has('expires');
  return explicit || CACHEABLE_BY_DEFAULT.has(response.status);
}

/**
 * Seconds of freshness: s-maxage, then max-age, then Expires minus Date (§4.2.1).
 * A malformed value means stale (0), never "forever". `no-cache` is 0: stored,
 * but revalidated before every use.
 */
export function freshnessLifetime(response: Response, { now = Date.now(), heuristicMaxSeconds = 0 }: FreshnessOptions = {}): number {
  const said = parseCacheControl(response.headers.get('cache-control'));
  if (said.has('no-cache')) return 0;
  if (said.has('s-maxage')) return deltaSeconds(said.get('s-maxage')) ?? 0;
  if (said.has('max-age')) return deltaSeconds(said.get('max-age')) ?? 0;
  const date = dateOf(response.headers, now);
  if (response.headers.has('expires')) {
    // §5.3: an Expires that is not an HTTP-date ("0", "never", two dates) means already expired.
    const expires = parseHttpDate(response.headers.get('expires'), now) ?? 0;
    return Math.max(0, Math.floor((expires - date) / 1000));
  }
  // §4.2.2: a guess, 10 % of the time since Last-Modified, for a status cacheable by default, and never over the cap (0: no guess).
  const lastModified = parseHttpDate(response.headers.get('last-modified'), now);
  if (lastModified === undefined || !CACHEABLE_BY_DEFAULT.has(response.status)) return 0;
  return Math.min(heuristicMaxSeconds, Math.max(0, Math.floor((date - lastModified) / 10_000)));
}

/** The response's Date in ms, or `now` when it has none (or one that is not an HTTP-date). */
function dateOf(headers: Headers, now: number): number {
  return parseHttpDate(headers.get('date'), now) ?? now;
}

/**
 * The age a response already had when it arrived, in seconds (§4.2.3): the
 * larger of its Age header plus the time it took, and how old its Date says it is.
 * Age is a single number; a list (`Age: 7200, 0`, two Age lines) counts by its
 * first member (§5.1), and an Age that is not a number is ignored.
 */
export function initialAge(headers: Headers, requestTime: number, responseTime: number): number {
  const ageValue = deltaSeconds(headers.get('age')?.split(',')[0]!.trim()) ?? 0;
  const apparentAge = Math.max(0, (responseTime - dateOf(headers, responseTime)) / 1000);
  return Math.max(apparentAge, ageValue + (responseTime - requestTime) / 1000);
}

/** §3.5: may a stored response be reused for this request? One to an authenticated request only where the origin allowed sharing. */
export function mayReuse(stored: StoredResponse, request: Request): boolean {
  if (!request.headers.has('authorization')) return true;
  const said = parseCacheControl(new Headers(stored.headers).get('cache-control'));
  return said.has('public') || said.has('s-maxage') || said.has('must-revalidate');
}

/** The hand-written rules, as the middleware takes them. */
export const rfc9111Rules: CacheRules = { isStorable, freshnessLifetime };

/**
 * RFC 9213: rules for a cache that a targeted field speaks to (`CDN-Cache-Control`
 * by default). When the response carries that field with a value, this cache
 * reads its directives instead of Cache-Control's, and ignores Expires; the
 * browser behind it still gets Cache-Control. Without the field, `rules` decide as usual.
 */
export function targetedRules(field = 'cdn-cache-control', rules: CacheRules = rfc9111Rules): CacheRules {
  const targeted = (response: Response): Response => {
    const value = response.headers.get(field);
    if (parseCacheControl(value).size === 0) return response; // absent or empty: Cache-Control decides
    const headers = new Headers(response.headers);
    headers.set('cache-control', value!);
    headers.delete('expires');
    return new Response(null, { status: response.status, headers });
  };
  return {
    isStorable: (request, response) => rules.isStorable(request, targeted(response)),
    freshnessLifetime: (response, options) => rules.freshnessLifetime(targeted(response), options),
  };
}
