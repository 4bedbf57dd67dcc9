import { describe, expect, it } from 'vitest';
import { IndexedLruCache } from '@kata/01-memoization/indexed-lru-cache.js';
import { isCollectedAfter } from '../support/collected.js';
import { describeLruDeep } from './lru-cache-behaviour.js';

describeLruDeep('IndexedLruCache', IndexedLruCache);

describe('IndexedLruCache slots, deeper', () => {
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

  it('lets the collector have what delete() removed: a slot keeps no value that is gone', async () => {
    const cache = new IndexedLruCache<string, object>({ max: 4 });
    const collected = await isCollectedAfter(
      (value) => cache.set('a', value).set('b', {}),
      () => cache.delete('a'),
    );
    expect(collected).toBe(true);
  });

  it('lets the collector have every key and value after clear()', async () => {
    const cache = new IndexedLruCache<object, object>({ max: 4 });
    const values = await isCollectedAfter(
      (value) => cache.set({}, value),
      () => cache.clear(),
    );
    const keys = await isCollectedAfter(
      (key) => cache.set(key, {}),
      () => cache.clear(),
    );
    expect([values, keys]).toEqual([true, true]);
  });
});
