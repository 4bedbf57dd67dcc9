import { describe, expect, it, vi } from 'vitest';
import { IndexedLruCache } from '@kata/01-memoization/indexed-lru-cache.js';
import { describeLruCore } from './lru-cache-behaviour.js';

// The same bar as LruCache: everything an LRU must do.
describeLruCore('IndexedLruCache', IndexedLruCache);

// What can go wrong only when entries live in numbered slots.
describe('IndexedLruCache slots', () => {
  it('reuses the slot a delete freed: after deletes and sets, every key still reads its own value', () => {
    const cache = new IndexedLruCache<string, number>({ max: 3 });
    cache.set('a', 1).set('b', 2).set('c', 3);
    expect(cache.delete('b')).toBe(true);
    expect(cache.delete('b')).toBe(false);
    cache.set('d', 4);
    expect([cache.get('a'), cache.get('c'), cache.get('d'), cache.get('b')]).toEqual([1, 3, 4, undefined]);
    expect(cache.size).toBe(3);
    cache.set('e', 5); // full again: evicts a, the first of the three reads above
    expect(['a', 'c', 'd', 'e'].map((k) => cache.get(k))).toEqual([undefined, 3, 4, 5]);
  });

  it('hands an evicted entry\'s slot to the new key: onEvict gets the old key and value, the slot holds the new ones', () => {
    const onEvict = vi.fn();
    const cache = new IndexedLruCache<string, object>({ max: 1, onEvict });
    const first = { n: 1 };
    const second = { n: 2 };
    cache.set('a', first).set('b', second);
    expect(onEvict).toHaveBeenCalledExactlyOnceWith('a', first);
    expect(cache.get('b')).toBe(second);
    expect(cache.get('a')).toBeUndefined();
  });
});
