import { describe, expect, it } from 'vitest';
import {
  freshnessLifetime, initialAge, isStorable, rfc9111Rules, targetedRules,
} from '@kata/07-web-caching/cache-policy.js';
import { T, caseCases, caseFreshnessCases, deep, freshnessCases, httpDate, rfcOnlyStorableCases, storableCases } from './rules-cases.js';

const url = 'http://localhost/items?page=2';
const response = (status: number | undefined, headers: Record<string, string> | undefined) =>
  new Response(null, { status: status ?? 200, headers });

describe('isStorable: the corners', () => {
  it.each([...deep(storableCases), ...deep(rfcOnlyStorableCases), ...caseCases])('$name: storable is $storable', ({ request, status, headers, storable }) => {
    expect(isStorable(new Request(url, request), response(status, headers))).toBe(storable);
  });
});

describe('freshnessLifetime: the corners', () => {
  it.each([...deep(freshnessCases), ...caseFreshnessCases])('$name', ({ status, headers, heuristicMaxSeconds, seconds }) => {
    expect(freshnessLifetime(response(status, headers), { now: T, heuristicMaxSeconds })).toBe(seconds);
  });

  it.each(['max-age=', 'max-age', 's-maxage=1e3', 'max-age=0x10'])('reads the malformed "%s" as stale (0)', (value) => {
    expect(freshnessLifetime(response(200, { 'cache-control': value }), { now: T })).toBe(0);
  });

  it('guesses only when the app opts in: 10 % of the time since Last-Modified, capped at heuristicMaxSeconds', () => {
    const modified = (ago: number) => response(200, { date: httpDate(T), 'last-modified': httpDate(T - ago * 1000) });
    expect(freshnessLifetime(modified(1_000), { now: T, heuristicMaxSeconds: 3_600 })).toBe(100);
    expect(freshnessLifetime(modified(10 * 86_400), { now: T, heuristicMaxSeconds: 3_600 })).toBe(3_600);
    expect(freshnessLifetime(modified(1_000), { now: T })).toBe(0);
  });

  it('guesses nothing without a Last-Modified, or from one in the future, or from one that is not an HTTP-date', () => {
    expect(freshnessLifetime(response(200, { date: httpDate(T) }), { now: T, heuristicMaxSeconds: 3_600 })).toBe(0);
    const future = response(200, { date: httpDate(T), 'last-modified': httpDate(T + 1_000_000) });
    expect(freshnessLifetime(future, { now: T, heuristicMaxSeconds: 3_600 })).toBe(0);
    const lenient = response(200, { date: httpDate(T), 'last-modified': '1 Jan 2000' });
    expect(freshnessLifetime(lenient, { now: T, heuristicMaxSeconds: 3_600 })).toBe(0);
  });

  it('never guesses for a status that is not cacheable by default (a 500 with only Last-Modified)', () => {
    const headers = { date: httpDate(T), 'last-modified': httpDate(T - 1_000_000) };
    expect(freshnessLifetime(response(500, headers), { now: T, heuristicMaxSeconds: 3_600 })).toBe(0);
  });

  it('keeps the first of a repeated directive (max-age=60, max-age=0 is 60), and reads two header lines as one list', () => {
    expect(freshnessLifetime(response(200, { 'cache-control': 'max-age=60, max-age=0' }), { now: T })).toBe(60);
    const headers = new Headers([['cache-control', 'public'], ['cache-control', 'max-age=30']]);
    expect(freshnessLifetime(new Response(null, { headers }), { now: T })).toBe(30);
  });
});

describe('HTTP-dates, strictly (RFC 9110 §5.6.7): what Date.parse takes and a cache must not', () => {
  const expiresIn = (expires: string) => freshnessLifetime(response(200, { date: httpDate(T), expires }), { now: T });

  it.each([
    ['IMF-fixdate', 'Thu, 01 Jan 2026 00:02:00 GMT'],
    ['the obsolete RFC 850 form', 'Thursday, 01-Jan-26 00:02:00 GMT'],
    ['the obsolete asctime form', 'Thu Jan  1 00:02:00 2026'],
  ])('reads %s', (_, expires) => {
    expect(expiresIn(expires)).toBe(120);
  });

  it.each([
    ['a zone other than GMT (UTC)', 'Thu, 01 Jan 2099 00:00:00 UTC'],
    ['no comma after the day', 'Thu 01 Jan 2099 00:00:00 GMT'],
    ['a doubled space', 'Thu, 01  Jan 2099 00:00:00 GMT'],
    ['a dashed date in IMF form', 'Thu, 18-Aug-2050 00:00:00 GMT'],
    ['a bare dashed date', '18-Aug-2050'],
    ['a one-digit hour', 'Thu, 01 Jan 2099 0:00:00 GMT'],
    ['an ISO 8601 date', '2099-01-01T00:00:00Z'],
    ['a lower-case month', 'Thu, 01 jan 2099 00:00:00 GMT'],
    ['the 31st of February', 'Thu, 31 Feb 2099 00:00:00 GMT'],
    ['an hour of 24', 'Thu, 01 Jan 2099 24:00:00 GMT'],
    ['two dates (two Expires lines)', 'Thu, 01 Jan 2099 00:00:00 GMT, Fri, 02 Jan 2099 00:00:00 GMT'],
    ['the number 0', '0'],
  ])('reads an Expires with %s as already expired (§5.3)', (_, expires) => {
    expect(expiresIn(expires)).toBe(0);
  });

  it('places an RFC 850 two-digit year as the RFC says: more than 50 years ahead means the previous century', () => {
    // In 2026, "94" is 1994 (2094 would be 68 years ahead), and "70" is 2070 (44 years ahead).
    expect(expiresIn('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(0);
    const in2070 = Date.UTC(2070, 0, 1);
    expect(freshnessLifetime(response(200, { expires: 'Wednesday, 01-Jan-70 00:00:00 GMT' }), { now: T })).toBe((in2070 - T) / 1000);
  });

  it('ignores a Date that is not an HTTP-date, and counts from now instead', () => {
    const headers = { date: '1 Jan 2000', expires: httpDate(T + 60_000) };
    expect(freshnessLifetime(response(200, headers), { now: T })).toBe(60);
    expect(initialAge(new Headers({ date: '1 Jan 2000' }), T, T)).toBe(0);
  });
});

describe('initialAge: the corners', () => {
  it('ignores an Age that is not a number', () => {
    expect(initialAge(new Headers({ age: 'old' }), T, T)).toBe(0);
    expect(initialAge(new Headers({ age: '-7200' }), T, T)).toBe(0);
    expect(initialAge(new Headers({ age: '7200.0' }), T, T)).toBe(0);
  });

  it('reads an Age list by its first member (§5.1): Age: 7200, 0 is 7200, not 0', () => {
    expect(initialAge(new Headers({ age: '7200, 0' }), T, T)).toBe(7200);
    expect(initialAge(new Headers([['age', '7200'], ['age', '0']]), T, T)).toBe(7200);
    expect(initialAge(new Headers({ age: '0,7200' }), T, T)).toBe(0);
  });
});

describe('targetedRules: CDN-Cache-Control (RFC 9213)', () => {
  const rules = targetedRules();
  const get = new Request(url);

  it('reads the targeted field instead of Cache-Control: CDN-Cache-Control: max-age=600 with Cache-Control: max-age=60 is 600 here', () => {
    expect(rules.freshnessLifetime(response(200, { 'cache-control': 'max-age=60', 'cdn-cache-control': 'max-age=600' }), { now: T })).toBe(600);
  });

  it('lets the targeted field forbid what Cache-Control allows, and allow what it forbids (no-store for the browser only)', () => {
    expect(rules.isStorable(get, response(200, { 'cache-control': 'max-age=60', 'cdn-cache-control': 'no-store' }))).toBe(false);
    expect(rules.isStorable(get, response(200, { 'cache-control': 'no-store', 'cdn-cache-control': 'max-age=60' }))).toBe(true);
  });

  it('ignores Expires when the targeted field is there', () => {
    const headers = { date: httpDate(T), expires: httpDate(T + 3_600_000), 'cdn-cache-control': 'no-cache' };
    expect(rules.freshnessLifetime(response(200, headers), { now: T })).toBe(0);
  });

  it('falls back to Cache-Control without the field, or with an empty one', () => {
    expect(rules.freshnessLifetime(response(200, { 'cache-control': 'max-age=60' }), { now: T })).toBe(60);
    expect(rules.freshnessLifetime(response(200, { 'cache-control': 'max-age=60', 'cdn-cache-control': '' }), { now: T })).toBe(60);
  });

  it('takes its field name as an option (a CDN of its own, e.g. Acme-Cache-Control), and other rules to wrap', () => {
    const acme = targetedRules('acme-cache-control', rfc9111Rules);
    const headers = { 'cache-control': 'max-age=60', 'cdn-cache-control': 'max-age=1', 'acme-cache-control': 'max-age=900' };
    expect(acme.freshnessLifetime(response(200, headers), { now: T })).toBe(900);
  });
});

describe('the corners a mutant found', () => {
  it('stores a response that varies on a header whose name merely contains * (Vary: x*y is not Vary: *)', () => {
    expect(isStorable(new Request(url), response(200, { vary: 'x*y', 'cache-control': 'max-age=60' }))).toBe(true);
  });

  it('reads the first member of an Age list with spaces around it (Age: 7200 , 0)', () => {
    expect(initialAge(new Headers({ age: '7200 , 0' }), T, T)).toBe(7200);
  });
});
