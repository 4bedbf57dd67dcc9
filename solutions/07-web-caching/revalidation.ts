/**
 * Conditional requests, both ways (RFC 9111 §4.3, RFC 9110 §13):
 * - the cache asks the handler whether a stale response it holds changed
 *   (If-None-Match / If-Modified-Since), and a 304 freshens what it holds;
 * - a client asks the cache the same question, and a fresh entry that matches
 *   answers 304 without a body.
 */
import type { Context, Next } from 'hono';
import type { CacheRules } from './cache-policy.js';
import { initialAge } from './cache-policy.js';
import { parseHttpDate } from '../../provided/http-date.js';
import { storedHeaders, type StoredResponse } from '../../provided/stored-response.js';

/** What a 304 carries of the 200 it stands for (RFC 9110 §15.4.5). */
const NOT_MODIFIED_FIELDS = ['cache-control', 'content-location', 'date', 'etag', 'expires', 'last-modified', 'vary'];

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

/** The stored response as this request gets it, with its Age: a 304 when the request's own validators match (§4.3.2). */
export function answer(stored: StoredResponse, request: Request, age: number): Response {
  const headers = new Headers(stored.headers);
  headers.set('age', String(Math.floor(age)));
  if (notModifiedFor(request.headers, headers)) {
    const kept = new Headers({ age: headers.get('age')! });
    for (const name of NOT_MODIFIED_FIELDS) if (headers.has(name)) kept.set(name, headers.get(name)!);
    return new Response(null, { status: 304, headers: kept });
  }
  const empty = request.method === 'HEAD' || [204, 205, 304].includes(stored.status);
  return new Response(empty ? null : stored.body, { status: stored.status, headers });
}

/** If-None-Match, weakly compared, wins over If-Modified-Since (RFC 9110 §13.2.2). */
export function notModifiedFor(request: Headers, stored: Headers): boolean {
  const ifNoneMatch = request.get('if-none-match');
  if (ifNoneMatch !== null) {
    const etag = stored.get('etag');
    if (etag === null) return false;
    const weak = (tag: string) => tag.trim().replace(/^W\//, '');
    return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => weak(tag) === weak(etag));
  }
  const since = parseHttpDate(request.get('if-modified-since'));
  const modified = parseHttpDate(stored.get('last-modified'));
  return since !== undefined && modified !== undefined && modified <= since;
}
