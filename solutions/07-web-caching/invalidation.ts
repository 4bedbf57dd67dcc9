/**
 * What a write makes stale (RFC 9111 §4.4). A POST, PUT, PATCH or DELETE that
 * succeeded (2xx or 3xx) changed the resource at its URL, and what its
 * Location and Content-Location point to. A failed one (4xx, 5xx) changed
 * nothing. Another origin's URL is never ours to forget: that would let one
 * site evict another's pages.
 */
import { cacheKey, type CacheKeyOptions } from './cache-key.js';

/** Methods that change nothing (RFC 9110 §9.2.1): no invalidation after them. (TRACE is safe too, but fetch refuses to make one.) */
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The cache keys the response to this request makes stale: none after a safe method or a failed write. */
export function invalidatedKeys(prefix: string, request: Request, response: Response, options: CacheKeyOptions = {}): string[] {
  if (SAFE.has(request.method) || response.status >= 400) return [];
  const url = request.url;
  const keys = [cacheKey(prefix, url, options)];
  for (const name of ['location', 'content-location']) {
    const target = response.headers.get(name);
    const resolved = target === null ? null : URL.parse(target, url);
    if (resolved?.origin === new URL(url).origin) keys.push(cacheKey(prefix, resolved.href, options));
  }
  return keys;
}
