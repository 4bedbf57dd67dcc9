import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cacheKey, variantKey, varyNames } from '@kata/07-web-caching/cache-key.js';

describe('cacheKey (the source: md5(path + query))', () => {
  it('starts with the prefix and hashes the rest with a modern hash: not md5, at least 256 bits', () => {
    const key = cacheKey('site:', 'http://localhost/items?page=2');
    expect(key.startsWith('site:')).toBe(true);
    const digest = key.slice('site:'.length);
    expect(digest).not.toContain(createHash('md5').update('/items?page=2').digest('hex'));
    expect(digest.length).toBeGreaterThanOrEqual(43);
  });

  it('keys on the host too: a page built for Host: evil.example is never the one for localhost (cache poisoning)', () => {
    expect(cacheKey('p:', 'http://evil.example/page')).not.toBe(cacheKey('p:', 'http://localhost/page'));
  });

  it('tells paths and queries apart, even when their characters run together (/ab?c versus /a?bc)', () => {
    const keys = ['/ab?c=1', '/a?bc=1', '/a', '/a?', '/b'].map((p) => cacheKey('p:', `http://localhost${p}`));
    expect(new Set(keys).size).toBe(4); // '/a' and '/a?' are one URL
  });

  it('keeps the query as sent by default (?a=1&b=2 is not ?b=2&a=1), and sorts it only when asked (sortQuery)', () => {
    expect(cacheKey('p:', 'http://localhost/x?a=1&b=2')).not.toBe(cacheKey('p:', 'http://localhost/x?b=2&a=1'));
    expect(cacheKey('p:', 'http://localhost/x?a=1&b=2', { sortQuery: true })).toBe(cacheKey('p:', 'http://localhost/x?b=2&a=1', { sortQuery: true }));
  });

  it('treats %7e and ~ in a path as the same path', () => {
    expect(cacheKey('p:', 'http://localhost/%7euser')).toBe(cacheKey('p:', 'http://localhost/~user'));
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

  it('gives requests with other values of a varied header other variants, and the same values the same variant', () => {
    const variant = (headers: Record<string, string>) => variantKey(['accept-language'], new Headers(headers));
    expect(variant({ 'accept-language': 'en' })).not.toBe(variant({ 'accept-language': 'fr' }));
    expect(variant({ 'accept-language': 'en' })).toBe(variant({ 'accept-language': 'en', cookie: 'a=1' }));
  });
});
