/**
 * What a shared HTTP cache may store, for how long, and under which key
 * (RFC 9111, sections 3, 4.1 and 4.2). Pure functions: no Redis, no clock of
 * their own, so every rule is one line of a table in the spec.
 *
 * The middleware in http-cache.ts asks two questions through `CacheRules`:
 * may I store this response, and how long is it fresh? library-way.ts answers
 * the same two questions with http-cache-semantics.
 */
import { createHash } from 'node:crypto';

/** The decisions the middleware delegates: ours below, or the library's (library-way.ts). */
export interface CacheRules {
  /** May a shared cache store this response to this request (RFC 9111 §3)? */
  isStorable(request: Request, response: Response): boolean;
  /** How many seconds the response is fresh for, counted from its Date (RFC 9111 §4.2.1). */
  freshnessLifetime(response: Response, options?: FreshnessOptions): number;
}

export interface FreshnessOptions {
  /** When the response arrived, in ms: stands in for a missing Date header. Default: Date.now(). */
  now?: number;
  /** Heuristic freshness (10 % of the time since Last-Modified) up to this many seconds; 0, the default, never guesses. */
  heuristicMaxSeconds?: number;
}

/** Cache-Control as a map: `max-age=60, no-cache` is { 'max-age' => '60', 'no-cache' => true }. Names are lower-cased; the first of a repeated directive wins. */
export function parseCacheControl(value: string | null): Map<string, string | true> {
  const directives = new Map<string, string | true>();
  // Split on commas outside quoted strings: private="set-cookie, x" is one directive.
  for (const part of value?.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? []) {
    const equals = part.indexOf('=');
    const name = (equals < 0 ? part : part.slice(0, equals)).trim().toLowerCase();
    if (name === '' || directives.has(name)) continue;
    // Stryker disable next-line EqualityOperator: a part that starts with = has an empty name and was skipped above
    let argument: string | true = equals < 0 ? true : part.slice(equals + 1).trim();
    if (typeof argument === 'string' && argument.startsWith('"')) argument = argument.slice(1, -1).replace(/\\(.)/g, '$1');
    directives.set(name, argument);
  }
  return directives;
}

/** RFC 9111 §1.2.2: a delta-seconds past what we can represent counts as 2^31. */
export const MAX_DELTA_SECONDS = 2 ** 31;

/** A delta-seconds argument: digits only. Anything else (-1, 1.5, "", a bare `max-age`) is undefined. */
function deltaSeconds(argument: string | true | null | undefined): number | undefined {
  // Stryker disable next-line ConditionalExpression: true and undefined fail the digits test as well
  if (typeof argument !== 'string' || !/^\d+$/.test(argument)) return undefined;
  return Math.min(Number(argument), MAX_DELTA_SECONDS);
}

/** Cacheable without explicit freshness (RFC 9110 §15.1), less 206: this cache does not store ranges. */
const CACHEABLE_BY_DEFAULT = new Set([200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501]);

/** May a shared cache store this response? Only GET responses; HEAD is answered from them. */
export function isStorable(request: Request, response: Response): boolean {
  if (request.method !== 'GET') return false;
  // Stryker disable next-line ConditionalExpression: a fetch Response cannot have a status under 200
  if (response.status < 200 || response.status === 206 || response.status === 304) return false;
  const asked = parseCacheControl(request.headers.get('cache-control'));
  const said = parseCacheControl(response.headers.get('cache-control'));
  if (asked.has('no-store') || said.has('no-store')) return false;
  if (said.has('private')) return false; // one user's answer, in a cache every user shares
  if (response.headers.has('set-cookie')) return false; // replayed, it would log everyone in as that user
  if (varyNames(response.headers) === '*') return false; // varies on something no request header shows
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
  const expires = response.headers.get('expires');
  if (expires !== null) {
    const at = Date.parse(expires); // "0" and other nonsense: already expired
    return Number.isNaN(at) ? 0 : Math.max(0, Math.floor((at - date) / 1000));
  }
  // Stryker disable next-line StringLiteral: any string that is not a date parses to NaN as '' does
  const lastModified = Date.parse(response.headers.get('last-modified') ?? '');
  // Stryker disable next-line EqualityOperator,ConditionalExpression: with a cap of 0, or an age of 0, the guess is 0 either way
  if (heuristicMaxSeconds > 0 && CACHEABLE_BY_DEFAULT.has(response.status) && lastModified < date) {
    return Math.min(heuristicMaxSeconds, Math.floor((date - lastModified) / 10_000)); // §4.2.2: 10 % of its age
  }
  return 0;
}

/** The response's Date in ms, or `now` when it has none (or one that does not parse). */
function dateOf(headers: Headers, now: number): number {
  // Stryker disable next-line StringLiteral: any string that is not a date parses to NaN as '' does
  const date = Date.parse(headers.get('date') ?? '');
  return Number.isNaN(date) ? now : date;
}

/**
 * The age a response already had when it arrived, in seconds (§4.2.3): the
 * larger of its Age header plus the time it took, and how old its Date says it is.
 */
export function initialAge(headers: Headers, requestTime: number, responseTime: number): number {
  const ageValue = deltaSeconds(headers.get('age')) ?? 0;
  const apparentAge = Math.max(0, (responseTime - dateOf(headers, responseTime)) / 1000);
  return Math.max(apparentAge, ageValue + (responseTime - requestTime) / 1000);
}

/**
 * The primary key of a URL: GET, its path and its query with the parameters
 * sorted, hashed (SHA-256) under a prefix. HEAD shares GET's key; the host is
 * not part of it, so give each site its own prefix.
 */
export function cacheKey(prefix: string, url: string): string {
  const { pathname, searchParams } = new URL(url);
  searchParams.sort(); // stable: ?a=1&b=2 equals ?b=2&a=1, while ?a=1&a=2 stays apart from ?a=2&a=1
  const target = `GET ${normalisePercents(pathname)}?${searchParams.toString()}`;
  return prefix + createHash('sha256').update(target).digest('base64url');
}

/** %7e and ~ are the same path (RFC 3986 §6.2.2): decode unreserved characters, upper-case the rest. */
function normalisePercents(path: string): string {
  return path.replace(/%[0-9a-f]{2}/gi, (escape) => {
    const char = String.fromCharCode(Number.parseInt(escape.slice(1), 16));
    // Stryker disable next-line MethodExpression: upper or lower, every escape gets the same case: one key either way
    return /[A-Za-z0-9\-._~]/.test(char) ? char : escape.toUpperCase();
  });
}

/** The request headers a response varies on, lower-cased, sorted, without repeats; '*' for Vary: *. */
export function varyNames(headers: Headers): string[] | '*' {
  const names = (headers.get('vary') ?? '').split(',').map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
  return names.includes('*') ? '*' : [...new Set(names)].sort();
}

/**
 * Which variant of a URL a request asks for (§4.1): the values of the varied
 * headers, whitespace normalised, hashed. A missing header and an empty one differ.
 */
export function variantKey(names: readonly string[], request: Headers): string {
  // Stryker disable next-line MethodExpression: Headers.get already trims a value's ends
  const values = names.map((name) => [name, request.get(name)?.replace(/\s+/g, ' ').trim() ?? null]);
  return createHash('sha256').update(JSON.stringify(values)).digest('base64url');
}

/** The hand-written rules, as the middleware takes them. */
export const rfc9111Rules: CacheRules = { isStorable, freshnessLifetime };
