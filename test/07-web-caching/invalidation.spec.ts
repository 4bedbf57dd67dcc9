import { describe, expect, it } from 'vitest';
import { invalidatedKeys } from '@kata/07-web-caching/invalidation.js';
import { cacheKey } from '../../provided/http-cache-parts.js';

const key = (url: string) => cacheKey('p:', url);
const after = (method: string, url: string, status = 200, headers: Record<string, string> = {}) =>
  invalidatedKeys('p:', new Request(url, { method }), new Response(null, { status, headers }));

describe('invalidatedKeys (RFC 9111 §4.4: what a write makes stale)', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('makes a URL stale after a successful %s to it', (method) => {
    expect(after(method, 'http://localhost/doc')).toEqual([key('http://localhost/doc')]);
  });

  it.each([400, 409, 500])('makes nothing stale after a write that failed with a %i', (status) => {
    expect(after('PUT', 'http://localhost/doc', status)).toEqual([]);
  });

  it.each(['GET', 'HEAD', 'OPTIONS'])('makes nothing stale after a %s (a safe method changes nothing)', (method) => {
    expect(after(method, 'http://localhost/doc')).toEqual([]);
  });

  it('also makes the same-origin Location and Content-Location stale, and not another origin\'s', () => {
    const keys = after('POST', 'http://localhost/docs', 201, { location: '/docs/7', 'content-location': 'http://elsewhere.example/x' });
    expect(keys.sort()).toEqual([key('http://localhost/docs'), key('http://localhost/docs/7')].sort());
  });
});
