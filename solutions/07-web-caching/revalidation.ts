/**
 * Revalidation (RFC 9111 §4.3): a stale response with a validator is not thrown
 * away. The cache asks the handler whether it changed (If-None-Match /
 * If-Modified-Since); a 304 means "what you have is still right", and its
 * header fields freshen what is stored (§4.3.4).
 */
import type { Context, Next } from 'hono';
import type { CacheRules } from './cache-policy.js';
import { initialAge } from './cache-policy.js';
import { storedHeaders, type StoredResponse } from '../../provided/stored-response.js';

/** The conditional header fields that ask whether `stored` changed: none when it has no validator. */
export function validatorsOf(stored: StoredResponse): Array<[string, string]> {
  const headers = new Headers(stored.headers);
  const validators: Array<[string, string]> = [];
  const etag = headers.get('etag');
  const lastModified = headers.get('last-modified');
  if (etag !== null) validators.push(['if-none-match', etag]);
  if (lastModified !== null) validators.push(['if-modified-since', lastModified]);
  return validators;
}

/**
 * Runs the handler with `stored`'s validators. A 304 answers its header fields,
 * and leaves `c.res` empty for the caller to fill; anything else is the new
 * response, left in `c.res`, and answers undefined.
 */
export async function revalidate(c: Context, next: Next, stored: StoredResponse): Promise<Headers | undefined> {
  const request = c.req.raw;
  const conditional = new Headers(request.headers);
  for (const [name, value] of validatorsOf(stored)) conditional.set(name, value);
  c.req.raw = new Request(request, { headers: conditional });
  await next();
  c.req.raw = request;
  if (c.res.status !== 304) return undefined;
  const notModified = c.res.headers;
  // Hono's c.res setter copies the old response's fields into the new one: assigned over
  // the 304, the stored page would go out with the 304's Set-Cookie. Empty it first.
  c.res = undefined;
  return notModified;
}

/** §4.3.4: a 304's fields replace the stored ones (all but the body's length), and the clock restarts. */
export function freshen(
  stored: StoredResponse, notModified: Headers, requestTime: number, rules: CacheRules, heuristicMaxSeconds = 0,
): StoredResponse {
  const headers = new Headers(stored.headers);
  const updates = storedHeaders(notModified).filter(([name]) => name !== 'content-length');
  for (const [name] of updates) headers.delete(name);
  for (const [name, value] of updates) headers.append(name, value);
  const responseTime = Date.now();
  const response = new Response(null, { status: stored.status, headers });
  return {
    ...stored,
    headers: [...headers],
    responseTime,
    initialAge: initialAge(notModified, requestTime, responseTime),
    freshness: rules.freshnessLifetime(response, { now: responseTime, heuristicMaxSeconds }),
  };
}
