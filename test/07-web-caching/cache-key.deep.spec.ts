import { describe, expect, it } from 'vitest';
import { cacheKey, variantKey } from '@kata/07-web-caching/cache-key.js';

describe('cacheKey: the corners', () => {
  it('keeps the order of a repeated parameter even when sorting: ?a=1&a=2 is not ?a=2&a=1', () => {
    expect(cacheKey('p:', 'http://localhost/x?a=1&a=2', { sortQuery: true })).not.toBe(cacheKey('p:', 'http://localhost/x?a=2&a=1', { sortQuery: true }));
  });

  it('treats %3f and %3F as the same escape, and keeps an escaped / apart from a real one', () => {
    expect(cacheKey('p:', 'http://localhost/a%3fb')).toBe(cacheKey('p:', 'http://localhost/a%3Fb'));
    expect(cacheKey('p:', 'http://localhost/a%2Fb')).not.toBe(cacheKey('p:', 'http://localhost/a/b'));
    expect(cacheKey('p:', 'http://localhost/%41%2d%2E%5F')).toBe(cacheKey('p:', 'http://localhost/A-._'));
  });

  it('ignores the #fragment (it never reaches a server)', () => {
    expect(cacheKey('p:', 'http://localhost/a#top')).toBe(cacheKey('p:', 'http://localhost/a'));
  });

  it('keys on the scheme and the port as well as the host (an http page is not the https one)', () => {
    const keys = ['http://localhost/a', 'https://localhost/a', 'http://localhost:8080/a', 'http://LOCALHOST:80/a'].map((u) => cacheKey('p:', u));
    expect(new Set(keys).size).toBe(3); // the last is the first: host names are case-insensitive, 80 is http's port
  });
});

describe('variantKey: the corners', () => {
  const names = ['accept-encoding', 'accept-language'];
  const variant = (headers: Record<string, string>) => variantKey(names, new Headers(headers));

  it('gives requests whose varied headers differ only in whitespace one variant, around list commas too', () => {
    expect(variant({ 'accept-encoding': 'gzip,  br', 'accept-language': 'en' })).toBe(variant({ 'accept-encoding': 'gzip, br', 'accept-language': 'en' }));
    expect(variant({ 'accept-encoding': 'gzip,br' })).toBe(variant({ 'accept-encoding': 'gzip , br' }));
    expect(variant({ 'accept-language': 'en-GB,  fr;q=0.5' })).toBe(variant({ 'accept-language': 'en-GB,fr;q=0.5' }));
  });

  it('keeps a missing header apart from an empty one, and values that differ in more than whitespace apart', () => {
    expect(variant({})).not.toBe(variant({ 'accept-language': '' }));
    expect(variant({ 'accept-encoding': 'gzip, br' })).not.toBe(variant({ 'accept-encoding': 'br, gzip' }));
    expect(variant({ 'accept-encoding': 'gzip br' })).not.toBe(variant({ 'accept-encoding': 'gzipbr' }));
  });

  it('keeps apart two headers whose values would run together (no ambiguity between names and values)', () => {
    const two = ['a', 'b'];
    expect(variantKey(two, new Headers({ a: 'x,y' }))).not.toBe(variantKey(two, new Headers({ a: 'x', b: 'y' })));
  });
});

describe('variantKey: what normalising may not merge', () => {
  const variant = (value: string) => variantKey(['accept-language'], new Headers({ 'accept-language': value }));

  it('keeps a list apart from the same characters without the comma (a,b is not ab)', () => {
    expect(variant('en,fr')).not.toBe(variant('enfr'));
  });

  it('collapses a run of spaces inside a value into one', () => {
    expect(variant('en  GB')).toBe(variant('en GB'));
    expect(variant('en\t GB')).toBe(variant('en GB'));
  });
});
