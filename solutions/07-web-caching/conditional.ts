/**
 * A client's conditional request, answered from the cache (RFC 9111 §4.3.2,
 * RFC 9110 §13): a browser that holds a copy asks "changed since?", and a fresh
 * entry that matches answers 304 without a body, never asking the handler.
 */
import { parseHttpDate } from '../../provided/http-date.js';
import type { StoredResponse } from '../../provided/stored-response.js';

/** What a 304 carries of the 200 it stands for (RFC 9110 §15.4.5). */
const NOT_MODIFIED_FIELDS = ['cache-control', 'content-location', 'date', 'etag', 'expires', 'last-modified', 'vary'];

/** The stored response as this request gets it, with its Age: a 304 when the request's own validators match (§4.3.2). */
export function answer(stored: StoredResponse, request: Request, age: number): Response {
  // A plain object, not a Headers: the cheapest to build and to write (stored field names are unique).
  const headers: Record<string, string> = Object.fromEntries(stored.headers);
  headers.age = String(Math.floor(age));
  const conditional = request.headers.has('if-none-match') || request.headers.has('if-modified-since');
  if (conditional && notModifiedFor(request.headers, new Headers(headers))) {
    const kept: Record<string, string> = { age: headers.age };
    for (const name of NOT_MODIFIED_FIELDS) if (name in headers) kept[name] = headers[name]!;
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
    return ifNoneMatch === '*' || ifNoneMatch.split(',').some((tag) => weak(tag) === weak(etag)); // Headers trims a value's ends
  }
  const since = parseHttpDate(request.get('if-modified-since'));
  const modified = parseHttpDate(stored.get('last-modified'));
  return since !== undefined && modified !== undefined && modified <= since;
}
