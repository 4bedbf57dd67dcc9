import { describe, expect, it } from 'vitest';
import { invalidatedKeys } from '@kata/07-web-caching/invalidation.js';
import { cacheKey } from '../../provided/http-cache-parts.js';

const key = (url: string) => cacheKey('p:', url);
const after = (method: string, url: string, status = 200, headers: Record<string, string> = {}) =>
  invalidatedKeys('p:', new Request(url, { method }), new Response(null, { status, headers }));

describe('invalidatedKeys: the corners', () => {
  it('makes a URL stale after a write answered with a redirect (303 See Other: the write succeeded)', () => {
    expect(after('POST', 'http://localhost/doc', 303, { location: '/doc' })).toEqual([key('http://localhost/doc'), key('http://localhost/doc')]);
  });

  it('treats a method it does not know as a write (FOO is not known to be safe)', () => {
    expect(after('FOO', 'http://localhost/doc')).toEqual([key('http://localhost/doc')]);
  });

  it('ignores a Location that cannot be parsed, and forgets the URL written to', () => {
    expect(after('POST', 'http://localhost/doc', 201, { location: 'http://[not a host' })).toEqual([key('http://localhost/doc')]);
  });

  it('forgets exactly the URL written to, even when its query holds glob characters (keys are hashes, never patterns)', () => {
    expect(after('PUT', 'http://localhost/doc?q=*')).toEqual([key('http://localhost/doc?q=*')]);
  });

  it('keeps another port or scheme of the same host apart (a different origin)', () => {
    expect(after('POST', 'http://localhost/doc', 201, { location: 'http://localhost:8080/doc', 'content-location': 'https://localhost/doc' })).toEqual([key('http://localhost/doc')]);
  });

  it('passes the key options on: with sortQuery the keys are the sorted ones', () => {
    const keys = invalidatedKeys('p:', new Request('http://localhost/x?b=2&a=1', { method: 'PUT' }), new Response(null), { sortQuery: true });
    expect(keys).toEqual([cacheKey('p:', 'http://localhost/x?a=1&b=2', { sortQuery: true })]);
  });
});
