import { describe, expect, it, vi } from 'vitest';
import { LruCache } from '@kata/01-memoization/lru-cache.js';

describe('LruCache', () => {
  it('stores and returns values, and undefined for a key it does not have', () => {
    const cache = new LruCache<string, number>({ max: 2 });
    cache.set('a', 1);
    expect(cache.get('a')).toBe(1);
    expect(cache.get('missing')).toBeUndefined();
  });

  it('evicts the least recently used entry when it is full', () => {
    const cache = new LruCache<string, number>({ max: 2 });
    cache.set('a', 1).set('b', 2).set('c', 3);
    expect(cache.has('a')).toBe(false);
    expect(cache.has('b')).toBe(true);
    expect(cache.has('c')).toBe(true);
    expect(cache.size).toBe(2);
  });

  it('counts a get as a use: the entry just read survives the next eviction', () => {
    const cache = new LruCache<string, number>({ max: 2 });
    cache.set('a', 1).set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect(cache.has('a')).toBe(true);
    expect(cache.has('b')).toBe(false);
  });

  it('counts setting an existing key as a use, and does not grow', () => {
    const cache = new LruCache<string, number>({ max: 2 });
    cache.set('a', 1).set('b', 2).set('a', 10).set('c', 3);
    expect(cache.get('a')).toBe(10);
    expect(cache.has('b')).toBe(false);
    expect(cache.size).toBe(2);
  });

  it('peek and has read without counting as a use', () => {
    const cache = new LruCache<string, number>({ max: 2 });
    cache.set('a', 1).set('b', 2);
    expect(cache.peek('a')).toBe(1);
    expect(cache.has('a')).toBe(true);
    cache.set('c', 3);
    expect(cache.has('a')).toBe(false);
  });

  it('keeps falsy values: a cached 0 is there, not missing', () => {
    const cache = new LruCache<string, number>({ max: 2 });
    cache.set('zero', 0);
    expect(cache.has('zero')).toBe(true);
    expect(cache.get('zero')).toBe(0);
  });

  it('delete removes one entry and clear removes them all', () => {
    const cache = new LruCache<string, number>({ max: 3 });
    cache.set('a', 1).set('b', 2).set('c', 3);
    expect(cache.delete('a')).toBe(true);
    expect(cache.delete('a')).toBe(false);
    expect(cache.size).toBe(2);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get('b')).toBeUndefined();
  });

  it('lists keys from the least to the most recently used', () => {
    const cache = new LruCache<string, number>({ max: 3 });
    cache.set('a', 1).set('b', 2).set('c', 3);
    cache.get('a');
    expect([...cache.keys()]).toEqual(['b', 'c', 'a']);
  });

  it('tells onEvict which entry it evicted', () => {
    const onEvict = vi.fn();
    const cache = new LruCache<string, number>({ max: 1, onEvict });
    cache.set('a', 1).set('b', 2);
    expect(onEvict).toHaveBeenCalledExactlyOnceWith('a', 1);
  });

  it('stays at max entries however many it is given', () => {
    const cache = new LruCache<number, number>({ max: 100 });
    for (let i = 0; i < 10_000; i++) cache.set(i, i);
    expect(cache.size).toBe(100);
    expect(cache.has(9_999)).toBe(true);
    expect(cache.has(9_899)).toBe(false);
  });

  it('rejects a max that is not a positive integer with a RangeError', () => {
    expect(() => new LruCache({ max: 0 })).toThrow(RangeError);
    expect(() => new LruCache({ max: 1.5 })).toThrow(RangeError);
    expect(() => new LruCache({ max: Number.NaN })).toThrow(RangeError);
  });
});
