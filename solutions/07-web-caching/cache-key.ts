/**
 * Where a response lives (RFC 9111 §2 and §4.1): the primary key of a URL, and
 * which variant of it a request asks for when the response says `Vary`.
 *
 * The key holds the origin, not only the path. @hono/node-server builds the
 * request URL from the Host header, so a handler that writes links from
 * `c.req.url` writes `https://evil.example/…` for a request that says
 * `Host: evil.example`; keyed without its host, that page would be stored and
 * served to everyone (cache poisoning). Keyed with it, it is that request's own.
 */
import { createHash } from 'node:crypto';

export interface CacheKeyOptions {
  /**
   * Sort the query's parameters by name (stably), so that ?a=1&b=2 and ?b=2&a=1
   * share an entry. A CDN-style normalisation, not a rule of RFC 9111 (whose key
   * is the method and the target URI): off by default, and wrong for signed URLs,
   * where the order is part of what was signed.
   */
  sortQuery?: boolean;
}

/** The primary key of a URL: GET, its origin, path and query, hashed (SHA-256) under a prefix. HEAD shares GET's key. */
export function cacheKey(prefix: string, url: string, { sortQuery = false }: CacheKeyOptions = {}): string {
  const { origin, pathname, searchParams, search } = new URL(url);
  const query = sortQuery ? sorted(searchParams) : search;
  const target = `GET ${origin}${normalisePercents(pathname)}${query}`;
  return prefix + createHash('sha256').update(target).digest('base64url');
}

/** The query with its parameters sorted by name, stably: ?a=1&a=2 stays apart from ?a=2&a=1. */
function sorted(params: URLSearchParams): string {
  params.sort();
  return `?${params}`;
}

/** %7e and ~ are the same path (RFC 3986 §6.2.2): decode unreserved characters, upper-case the rest. */
function normalisePercents(path: string): string {
  return path.replace(/%[0-9a-f]{2}/gi, (escape) => {
    const char = String.fromCharCode(Number.parseInt(escape.slice(1), 16));
    return /[A-Za-z0-9\-._~]/.test(char) ? char : escape.toUpperCase();
  });
}

const UNVARIED = createHash('sha256').update('[]').digest('base64url');

/** The request headers a response varies on, lower-cased, sorted, without repeats; '*' for Vary: *. */
export function varyNames(headers: Headers): string[] | '*' {
  const names = (headers.get('vary') ?? '').split(',').map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
  return names.includes('*') ? '*' : [...new Set(names)].sort();
}

/**
 * Which variant of a URL a request asks for (§4.1): the values of the varied
 * headers, hashed. Values are compared as lists: whitespace runs collapse and
 * the spaces around commas go (`gzip,br` is `gzip, br`). A missing header and
 * an empty one differ.
 */
export function variantKey(names: readonly string[], request: Headers): string {
  if (names.length === 0) return UNVARIED; // most responses vary on nothing: one variant, its key computed once
  const values = names.map((name) => [name, request.get(name)?.replace(/\s*,\s*/g, ',').replace(/\s+/g, ' ') ?? null]);
  return createHash('sha256').update(JSON.stringify(values)).digest('base64url');
}
