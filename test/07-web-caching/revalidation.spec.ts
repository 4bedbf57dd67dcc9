import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { etag } from 'hono/etag';
import { freshen, revalidate, validatorsOf } from '@kata/07-web-caching/revalidation.js';
import { answer, rfc9111Rules } from '../../provided/http-cache-parts.js';
import type { StoredResponse } from '../../provided/stored-response.js';
import { storedOf } from './store-helpers.js';

/**
 * An app whose middleware revalidates `stored` with the handler behind Hono's
 * etag() (a 304 for a matching If-None-Match, as a real app answers), and then
 * answers the stored body itself, as the cache will: what the handler saw, and
 * what revalidate answered.
 */
function revalidating(stored: StoredResponse, handler: (c: import('hono').Context) => Response = (c) => c.text('version 1')) {
  const seen: { ifNoneMatch: string | null; ifModifiedSince: string | null; notModified?: Headers; requestAfter?: Request } = { ifNoneMatch: null, ifModifiedSince: null };
  const app = new Hono()
    .use(async (c, next) => {
      const request = c.req.raw;
      seen.notModified = await revalidate(c, next, stored);
      seen.requestAfter = c.req.raw;
      if (seen.notModified !== undefined) c.res = answer(stored, request, 0);
      expect(request).toBe(seen.requestAfter);
    })
    .use(etag())
    .get('/doc', (c) => {
      seen.ifNoneMatch = c.req.header('if-none-match') ?? null;
      seen.ifModifiedSince = c.req.header('if-modified-since') ?? null;
      return handler(c);
    });
  return { app, seen };
}

const etagOf = async (body: string) => (await new Hono().use(etag()).get('/', (c) => c.text(body)).request('/')).headers.get('etag')!;

describe('validatorsOf: what the cache asks the handler with', () => {
  it('asks with If-None-Match for an ETag, If-Modified-Since for a Last-Modified, and with nothing for neither', () => {
    expect(validatorsOf(storedOf({ etag: '"v1"' }))).toEqual([['if-none-match', '"v1"']]);
    expect(validatorsOf(storedOf({ 'last-modified': 'Thu, 01 Jan 2026 00:00:00 GMT' }))).toEqual([['if-modified-since', 'Thu, 01 Jan 2026 00:00:00 GMT']]);
    expect(validatorsOf(storedOf({ 'content-type': 'text/plain' }))).toEqual([]);
  });
});

describe('revalidate: the cache asks the handler whether a stale response changed (RFC 9111 §4.3)', () => {
  it('sends the stored ETag as If-None-Match; a 304 answers its header fields, and the stored body is what goes out', async () => {
    const stored = storedOf({ etag: await etagOf('version 1') }, { body: 'version 1 (stored)' });
    const { app, seen } = revalidating(stored);
    const response = await app.request('/doc');
    expect(seen.ifNoneMatch).toBe(stored.headers[0]![1]);
    expect(seen.notModified).toBeInstanceOf(Headers);
    expect(await response.text()).toBe('version 1 (stored)');
  });

  it('answers undefined when the handler sends a new response, and leaves that response in c.res', async () => {
    const { app, seen } = revalidating(storedOf({ etag: '"old"' }), (c) => c.text('version 2'));
    const response = await app.request('/doc');
    expect(seen.notModified).toBeUndefined();
    expect(await response.text()).toBe('version 2');
  });

  it('does not pass on a Set-Cookie the handler put on its 304 (Hono\'s c.res setter would copy it onto the stored page)', async () => {
    const stored = storedOf({ etag: await etagOf('version 1') });
    const { app } = revalidating(stored, (c) => {
      c.header('set-cookie', 'session=for-someone');
      return c.text('version 1');
    });
    const response = await app.request('/doc');
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toBeNull();
  });
});

describe('freshen: a 304 refreshes what is stored (§4.3.4)', () => {
  it('takes the 304\'s fields over the stored ones, restarts the clock, and keeps the body', () => {
    const old = { ...storedOf({ 'cache-control': 'max-age=10', etag: '"v1"', 'x-kept': 'yes' }, { freshness: 10, initialAge: 50 }), responseTime: Date.now() - 60_000 };
    const refreshed = freshen(old, new Headers({ 'cache-control': 'max-age=100', etag: '"v1"' }), Date.now(), rfc9111Rules);
    expect(refreshed.freshness).toBe(100);
    expect(refreshed.initialAge).toBeLessThan(1);
    expect(Date.now() - refreshed.responseTime).toBeLessThan(1000);
    expect(new Headers(refreshed.headers).get('cache-control')).toBe('max-age=100');
    expect(new Headers(refreshed.headers).get('x-kept')).toBe('yes');
    expect(refreshed.body).toEqual(old.body);
  });
});
