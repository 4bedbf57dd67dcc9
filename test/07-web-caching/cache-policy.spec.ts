import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  cacheKey, freshnessLifetime, initialAge, isStorable, parseCacheControl, variantKey, varyNames,
} from '@kata/07-web-caching/cache-policy.js';
import { T, freshnessCases, httpDate, rfcOnlyFreshnessCases, rfcOnlyStorableCases, storableCases } from './rules-cases.js';

const url = 'http://localhost/items?page=2';
const response = (status: number | undefined, headers: Record<string, string> | undefined) =>
  new Response(null, { status: status ?? 200, headers });

describe('isStorable (RFC 9111 §3: what a shared cache may keep)', () => {
  it.each([...storableCases, ...rfcOnlyStorableCases])('$name: storable is $storable', ({ request, status, headers, storable }) => {
    expect(isStorable(new Request(url, request), response(status, headers))).toBe(storable);
  });
});

describe('freshnessLifetime (§4.2.1: s-maxage, then max-age, then Expires minus Date)', () => {
  it.each([...freshnessCases, ...rfcOnlyFreshnessCases])('$name', ({ status, headers, heuristicMaxSeconds, seconds }) => {
    expect(freshnessLifetime(response(status, headers), { now: T, heuristicMaxSeconds })).toBe(seconds);
  });

  it.each(['max-age=-1', 'max-age=1.5', 'max-age=abc', 'max-age=', 'max-age', 's-maxage=1e3'])(
    'reads the malformed "%s" as stale (0), never as "forever"',
    (value) => {
      expect(freshnessLifetime(response(200, { 'cache-control': value }), { now: T })).toBe(0);
    },
  );

  it('caps an absurd max-age at 2^31 seconds, as RFC 9111 §1.2.2 says (not Infinity, not a lost precision)', () => {
    expect(freshnessLifetime(response(200, { 'cache-control': 'max-age=99999999999999999999999' }), { now: T })).toBe(2 ** 31);
  });

  it('measures Expires from now when the response has no Date', () => {
    expect(freshnessLifetime(response(200, { expires: httpDate(T + 90_000) }), { now: T })).toBe(90);
  });

  it('guesses only when the app opts in: 10 % of the time since Last-Modified, capped at heuristicMaxSeconds', () => {
    const modified = (ago: number) => response(200, { date: httpDate(T), 'last-modified': httpDate(T - ago * 1000) });
    expect(freshnessLifetime(modified(1_000), { now: T, heuristicMaxSeconds: 3_600 })).toBe(100);
    expect(freshnessLifetime(modified(10 * 86_400), { now: T, heuristicMaxSeconds: 3_600 })).toBe(3_600);
    expect(freshnessLifetime(modified(1_000), { now: T })).toBe(0);
  });

  it('guesses nothing without a Last-Modified, or from one in the future', () => {
    expect(freshnessLifetime(response(200, { date: httpDate(T) }), { now: T, heuristicMaxSeconds: 3_600 })).toBe(0);
    const future = response(200, { date: httpDate(T), 'last-modified': httpDate(T + 1_000_000) });
    expect(freshnessLifetime(future, { now: T, heuristicMaxSeconds: 3_600 })).toBe(0);
  });

  it('never guesses for a status that is not cacheable by default (a 500 with only Last-Modified)', () => {
    const headers = { date: httpDate(T), 'last-modified': httpDate(T - 1_000_000) };
    expect(freshnessLifetime(response(500, headers), { now: T, heuristicMaxSeconds: 3_600 })).toBe(0);
  });
});

describe('parseCacheControl', () => {
  it('keeps a quoted argument whole, commas and all, and lower-cases names', () => {
    const directives = parseCacheControl('Private="set-cookie, x-user", MAX-AGE=5,no-transform');
    expect(directives.get('private')).toBe('set-cookie, x-user');
    expect(directives.get('max-age')).toBe('5');
    expect(directives.get('no-transform')).toBe(true);
  });

  it('keeps the first of a repeated directive (max-age=60, max-age=0 is 60), and reads two header lines as one list', () => {
    expect(parseCacheControl('max-age=60, max-age=0').get('max-age')).toBe('60');
    const headers = new Headers([['cache-control', 'public'], ['cache-control', 'max-age=30']]);
    expect(freshnessLifetime(new Response(null, { headers }), { now: T })).toBe(30);
  });

  it('unescapes a quoted argument (\\" is a quote) and trims the spaces around = and ,', () => {
    expect(parseCacheControl('no-cache="a\\"b"').get('no-cache')).toBe('a"b');
    expect(parseCacheControl(' max-age = 60 , public ').get('max-age')).toBe('60');
    expect(freshnessLifetime(response(200, { 'cache-control': 'max-age = 60' }), { now: T })).toBe(60);
  });

  it('keeps an unquoted argument as written, quotes and all (x=a"b"), and skips a part with no name (=5)', () => {
    expect(parseCacheControl('x=a"b"').get('x')).toBe('a"b"');
    expect(parseCacheControl('=5').size).toBe(0);
  });

  it('reads nothing from a missing or empty header', () => {
    expect(parseCacheControl(null).size).toBe(0);
    expect(parseCacheControl(' , ').size).toBe(0);
  });
});

describe('initialAge (§4.2.3: how old a response already is when it arrives)', () => {
  it('counts the Age header plus the time the handler took', () => {
    expect(initialAge(new Headers({ age: '100' }), T, T + 2_000)).toBe(102);
  });

  it('counts how old its Date says it is, when that is more', () => {
    expect(initialAge(new Headers({ date: httpDate(T - 30_000) }), T, T)).toBe(30);
  });

  it('ignores an Age that is not a number', () => {
    expect(initialAge(new Headers({ age: 'old' }), T, T)).toBe(0);
  });
});

describe('cacheKey (the source: md5(path + query))', () => {
  it('gives ?a=1&b=2 and ?b=2&a=1 one key', () => {
    expect(cacheKey('p:', 'http://localhost/x?a=1&b=2')).toBe(cacheKey('p:', 'http://localhost/x?b=2&a=1'));
  });

  it('keeps the order of a repeated parameter: ?a=1&a=2 is not ?a=2&a=1', () => {
    expect(cacheKey('p:', 'http://localhost/x?a=1&a=2')).not.toBe(cacheKey('p:', 'http://localhost/x?a=2&a=1'));
  });

  it('tells paths and queries apart, even when their characters run together (/ab?c versus /a?bc)', () => {
    const keys = ['/ab?c=1', '/a?bc=1', '/a', '/a?', '/b'].map((p) => cacheKey('p:', `http://localhost${p}`));
    expect(new Set(keys).size).toBe(4); // '/a' and '/a?' are one URL
  });

  it('treats %3f and %3F as the same escape, and keeps an escaped / apart from a real one', () => {
    expect(cacheKey('p:', 'http://localhost/a%3fb')).toBe(cacheKey('p:', 'http://localhost/a%3Fb'));
    expect(cacheKey('p:', 'http://localhost/a%2Fb')).not.toBe(cacheKey('p:', 'http://localhost/a/b'));
    expect(cacheKey('p:', 'http://localhost/%41%2d%2E%5F')).toBe(cacheKey('p:', 'http://localhost/A-._'));
  });

  it('treats %7e and ~ in a path as the same path, and ignores the #fragment', () => {
    expect(cacheKey('p:', 'http://localhost/%7euser')).toBe(cacheKey('p:', 'http://localhost/~user'));
    expect(cacheKey('p:', 'http://localhost/a#top')).toBe(cacheKey('p:', 'http://localhost/a'));
  });

  it('starts with the prefix and hashes the rest with a modern hash: not md5, at least 256 bits', () => {
    const key = cacheKey('site:', 'http://localhost/items?page=2');
    expect(key.startsWith('site:')).toBe(true);
    const digest = key.slice('site:'.length);
    expect(digest).not.toContain(createHash('md5').update('/items?page=2').digest('hex'));
    expect(digest.length).toBeGreaterThanOrEqual(43);
  });
});

describe('Vary (§4.1: one stored response per variant)', () => {
  it('names the varied headers lower-cased, sorted, once each', () => {
    expect(varyNames(new Headers({ vary: 'Accept-Language, accept-encoding,ACCEPT-LANGUAGE' }))).toEqual(['accept-encoding', 'accept-language']);
    expect(varyNames(new Headers())).toEqual([]);
  });

  it('says * for Vary: *, wherever it is in the list', () => {
    expect(varyNames(new Headers({ vary: 'Accept, *' }))).toBe('*');
  });

  it('gives requests whose varied headers differ only in whitespace one variant, and others their own', () => {
    const names = ['accept-encoding', 'accept-language'];
    const variant = (headers: Record<string, string>) => variantKey(names, new Headers(headers));
    expect(variant({ 'accept-encoding': 'gzip,  br', 'accept-language': 'en' })).toBe(variant({ 'accept-encoding': 'gzip, br', 'accept-language': 'en' }));
    expect(variant({ 'accept-language': 'en' })).not.toBe(variant({ 'accept-language': 'fr' }));
    expect(variant({})).not.toBe(variant({ 'accept-language': '' }));
    expect(variant({ 'accept-encoding': 'gzip, br' })).not.toBe(variant({ 'accept-encoding': 'gzip,br' }));
  });

  it('ignores the headers that the response does not vary on', () => {
    expect(variantKey(['accept-language'], new Headers({ 'accept-language': 'en', cookie: 'a=1' }))).toBe(
      variantKey(['accept-language'], new Headers({ 'accept-language': 'en', cookie: 'b=2' })),
    );
  });
});
