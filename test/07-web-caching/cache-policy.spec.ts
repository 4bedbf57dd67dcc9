import { describe, expect, it } from 'vitest';
import { freshnessLifetime, initialAge, isStorable, mayReuse } from '@kata/07-web-caching/cache-policy.js';
import { storedOf } from './store-helpers.js';
import { T, core, freshnessCases, httpDate, rfcOnlyStorableCases, storableCases } from './rules-cases.js';

const url = 'http://localhost/items?page=2';
const response = (status: number | undefined, headers: Record<string, string> | undefined) =>
  new Response(null, { status: status ?? 200, headers });

describe('isStorable (RFC 9111 §3: what a shared cache may keep)', () => {
  it.each([...core(storableCases), ...core(rfcOnlyStorableCases)])('$name: storable is $storable', ({ request, status, headers, storable }) => {
    expect(isStorable(new Request(url, request), response(status, headers))).toBe(storable);
  });
});

describe('freshnessLifetime (§4.2.1: s-maxage, then max-age, then Expires minus Date)', () => {
  it.each(core(freshnessCases))('$name', ({ status, headers, heuristicMaxSeconds, seconds }) => {
    expect(freshnessLifetime(response(status, headers), { now: T, heuristicMaxSeconds })).toBe(seconds);
  });

  it.each(['max-age=-1', 'max-age=1.5', 'max-age=abc'])('reads the malformed "%s" as stale (0), never as "forever"', (value) => {
    expect(freshnessLifetime(response(200, { 'cache-control': value }), { now: T })).toBe(0);
  });

  it('caps an absurd max-age at 2^31 seconds, as RFC 9111 §1.2.2 says (not Infinity, not a lost precision)', () => {
    expect(freshnessLifetime(response(200, { 'cache-control': 'max-age=99999999999999999999999' }), { now: T })).toBe(2 ** 31);
  });

  it('measures Expires from now when the response has no Date', () => {
    expect(freshnessLifetime(response(200, { expires: httpDate(T + 90_000) }), { now: T })).toBe(90);
  });

  it('reads an Expires that is not an HTTP-date as already expired (§5.3), even one Date.parse would take', () => {
    expect(freshnessLifetime(response(200, { date: httpDate(T), expires: 'Thu, 01 Jan 2099 00:00:00 UTC' }), { now: T })).toBe(0);
  });
});

describe('initialAge (§4.2.3: how old a response already is when it arrives)', () => {
  it('counts the Age header plus the time the handler took', () => {
    expect(initialAge(new Headers({ age: '100' }), T, T + 2_000)).toBe(102);
  });

  it('counts how old its Date says it is, when that is more', () => {
    expect(initialAge(new Headers({ date: httpDate(T - 30_000) }), T, T)).toBe(30);
  });
});

describe('mayReuse (§3.5: a stored page and an authenticated request)', () => {
  const withAuth = new Request(url, { headers: { authorization: 'Bearer bob' } });
  it('lets anyone without Authorization reuse a stored page', () => {
    expect(mayReuse(storedOf({ 'cache-control': 'max-age=60' }), new Request(url))).toBe(true);
  });

  it('lets an authenticated request reuse only a page marked public, s-maxage or must-revalidate', () => {
    expect(mayReuse(storedOf({ 'cache-control': 'max-age=60' }), withAuth)).toBe(false);
    for (const cc of ['public, max-age=60', 's-maxage=60', 'must-revalidate, max-age=60']) {
      expect(mayReuse(storedOf({ 'cache-control': cc }), withAuth), cc).toBe(true);
    }
  });
});
