import { describe, expect, it } from 'vitest';
import { semanticsRules } from '@kata/07-web-caching/library-way.js';
import { T, caseCases, caseFreshnessCases, deep, freshnessCases, httpDate, storableCases } from './rules-cases.js';

const url = 'http://localhost/items?page=2';

describe('semanticsRules: the corners, and what the library alone would let through', () => {
  it.each([...deep(storableCases), ...caseCases])('$name: storable is $storable', ({ request, status, headers, storable }) => {
    expect(semanticsRules.isStorable(new Request(url, request), new Response(null, { status: status ?? 200, headers }))).toBe(storable);
  });

  it.each([...deep(freshnessCases), ...caseFreshnessCases])('$name', ({ status, headers, heuristicMaxSeconds, seconds }) => {
    expect(semanticsRules.freshnessLifetime(new Response(null, { status: status ?? 200, headers }), { now: T, heuristicMaxSeconds })).toBe(seconds);
  });

  it('reads immutable as no more than its max-age (the library alone would keep it a day at least)', () => {
    const response = new Response(null, { headers: { 'cache-control': 'immutable, max-age=10' } });
    expect(semanticsRules.freshnessLifetime(response, { now: T })).toBe(10);
  });

  it('guesses only what the library guesses when that is under the cap (10 % of the time since Last-Modified)', () => {
    const response = new Response(null, { headers: { date: httpDate(T), 'last-modified': httpDate(T - 1_000_000) } });
    expect(semanticsRules.freshnessLifetime(response, { now: T, heuristicMaxSeconds: 3_600 })).toBe(100);
  });

  it('reads an Expires the RFC does not as already expired (the library\'s Date.parse would keep it until 2050)', () => {
    for (const expires of ['18-Aug-2050', 'Thu, 18 Aug 2050 00:00:00 UTC', 'Thu 18 Aug 2050 00:00:00 GMT']) {
      const response = new Response(null, { headers: { date: httpDate(T), expires } });
      expect(semanticsRules.freshnessLifetime(response, { now: T }), expires).toBe(0);
    }
  });

  it('does not guess from a Last-Modified that is not an HTTP-date', () => {
    const response = new Response(null, { headers: { date: httpDate(T), 'last-modified': '1 Jan 2000' } });
    expect(semanticsRules.freshnessLifetime(response, { now: T, heuristicMaxSeconds: 3_600 })).toBe(0);
  });

  it('keeps a quoted private field list private (private="x-user" is still private)', () => {
    expect(semanticsRules.isStorable(new Request(url), new Response(null, { headers: { 'cache-control': 'max-age=60, Private="x-user, x-b"' } }))).toBe(false);
  });

  it('stores a response whose Set-Cookie list is empty as any other (an empty list is not a cookie)', () => {
    expect(semanticsRules.isStorable(new Request(url), new Response(null, { headers: { 'cache-control': 'max-age=60' } }))).toBe(true);
  });
});

describe('semanticsRules: what the library would decide on its own', () => {
  it('gives immutable no lifetime beyond what Expires says (the library alone would keep it a day)', () => {
    const response = new Response(null, { headers: { 'cache-control': 'immutable', date: httpDate(T), expires: httpDate(T + 60_000) } });
    expect(semanticsRules.freshnessLifetime(response, { now: T })).toBe(60);
  });

  it('guesses nothing when an Expires is there but invalid, even with a Last-Modified and a cap', () => {
    const response = new Response(null, { headers: { date: httpDate(T), expires: 'never', 'last-modified': httpDate(T - 1_000_000) } });
    expect(semanticsRules.freshnessLifetime(response, { now: T, heuristicMaxSeconds: 3_600 })).toBe(0);
  });

  it('keeps s-maxage on its own as explicit freshness, however long (no cap)', () => {
    const response = new Response(null, { headers: { 'cache-control': 's-maxage=7200' } });
    expect(semanticsRules.freshnessLifetime(response, { now: T, heuristicMaxSeconds: 60 })).toBe(7_200);
  });

  it('reads a response with a Set-Cookie as not fresh (and the wrapper never stores it)', () => {
    const response = new Response(null, { headers: { 'cache-control': 'max-age=60', 'set-cookie': 'a=1' } });
    expect(semanticsRules.freshnessLifetime(response, { now: T })).toBe(0);
    expect(semanticsRules.isStorable(new Request(url), response)).toBe(false);
  });
});
