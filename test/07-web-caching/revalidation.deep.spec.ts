import { describe, expect, it } from 'vitest';
import { freshen } from '@kata/07-web-caching/revalidation.js';
import { rfc9111Rules } from '../../provided/http-cache-parts.js';
import { storedOf } from './store-helpers.js';

const LM = 'Thu, 01 Jan 2026 00:00:00 GMT';

describe('freshen: the corners', () => {
  it('keeps the stored Content-Length (a 304 may say 0: it has no body) and does not store the 304\'s Set-Cookie', () => {
    const old = storedOf({ 'content-length': '5', etag: '"v1"' });
    const refreshed = freshen(old, new Headers({ 'content-length': '0', 'set-cookie': 'a=1', etag: '"v1"' }), Date.now(), rfc9111Rules);
    expect(new Headers(refreshed.headers).get('content-length')).toBe('5');
    expect(new Headers(refreshed.headers).has('set-cookie')).toBe(false);
  });

  it('counts the Age the 304 arrived with', () => {
    const refreshed = freshen(storedOf({ etag: '"v1"' }), new Headers({ age: '30', 'cache-control': 'max-age=60' }), Date.now(), rfc9111Rules);
    expect(Math.floor(refreshed.initialAge)).toBe(30);
  });

  it('replaces a repeated field with all of the 304\'s lines for it', () => {
    const refreshed = freshen(storedOf({ 'x-tag': 'old' }), new Headers([['x-tag', 'a'], ['x-tag', 'b']]), Date.now(), rfc9111Rules);
    expect(new Headers(refreshed.headers).get('x-tag')).toBe('a, b');
  });

  it('guesses from Last-Modified only up to heuristicMaxSeconds', () => {
    const date = new Date().toUTCString();
    const refreshed = freshen(storedOf(), new Headers({ date, 'last-modified': LM }), Date.now(), rfc9111Rules, 60);
    expect(refreshed.freshness).toBe(60);
  });
});
