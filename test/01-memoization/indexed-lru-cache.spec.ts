import { describe, expect, it } from 'vitest';
import { IndexedLruCache } from '@kata/01-memoization/indexed-lru-cache.js';
import { describeLruCache } from './lru-cache-behaviour.js';

// The same bar as LruCache: everything an LRU must do.
describeLruCache('IndexedLruCache', IndexedLruCache);

// What can go wrong only when entries live in numbered slots.
describe('IndexedLruCache slots', () => {
  it('reuses the slot a delete freed: after deletes and sets, every key still reads its own value', () => {
    const cache = new IndexedLruCache<string, number>({ max: 3 });
    cache.set('a', 1).set('b', 2).set('c', 3);
    cache.delete('b');
    cache.set('d', 4);
    expect([...cache.keys()]).toEqual(['a', 'c', 'd']);
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([1, 3, 4]);
    cache.set('e', 5); // full again: evicts a, the first of the three reads above
    expect([...cache.keys()]).toEqual(['c', 'd', 'e']);
    expect([cache.peek('a'), cache.peek('c'), cache.peek('e')]).toEqual([undefined, 3, 5]);
  });

  it('empties and refills: deleting every entry, then clear(), leaves a cache that works as new', () => {
    const cache = new IndexedLruCache<string, number>({ max: 2 });
    cache.set('a', 1).set('b', 2);
    cache.delete('a');
    cache.delete('b');
    expect([...cache.keys()]).toEqual([]);
    cache.set('c', 3).set('d', 4).set('e', 5);
    expect([...cache.keys()]).toEqual(['d', 'e']);
    cache.clear();
    expect([...cache.keys()]).toEqual([]);
    cache.set('f', 6).set('g', 7).set('h', 8);
    expect([...cache.keys()]).toEqual(['g', 'h']);
    expect([cache.peek('f'), cache.peek('g'), cache.peek('h')]).toEqual([undefined, 7, 8]);
    expect(cache.size).toBe(2);
  });

  it('an evicted value is not kept: onEvict gets it, and the slot holds the new one', () => {
    const evicted: Array<[string, object]> = [];
    const cache = new IndexedLruCache<string, object>({ max: 1, onEvict: (key, value) => evicted.push([key, value]) });
    const first = { n: 1 };
    const second = { n: 2 };
    cache.set('a', first).set('b', second);
    expect(evicted).toEqual([['a', first]]);
    expect(cache.get('b')).toBe(second);
    expect(cache.get('a')).toBeUndefined();
  });
});
