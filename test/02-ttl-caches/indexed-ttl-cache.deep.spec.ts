import { describe, expect, it } from 'vitest';
import { IndexedTtlCache } from '@kata/02-ttl-caches/indexed-ttl-cache.js';
import { isCollectedAfter } from '../support/collected.js';
import { manualClock } from './manual-clock.js';
import { describeTtlDeep } from './ttl-cache-behaviour.js';

describeTtlDeep('IndexedTtlCache', IndexedTtlCache);

describe('IndexedTtlCache slots, deeper', () => {
  it('leaves an expired entry where it is when a read finds it: the next write drops it from the cold end, and the collector can have it', async () => {
    const clock = manualClock();
    const cache = new IndexedTtlCache<string, object>({ maxSize: 10, ttlMs: 1_000, now: clock.now });
    const collected = await isCollectedAfter(
      (value) => cache.set('a', value, { ttlMs: 10 }).set('b', {}),
      () => {
        clock.advance(10);
        expect(cache.get('a')).toBeUndefined();
        cache.set('c', {});
      },
    );
    expect(collected).toBe(true);
  });

  it('gives the slot of an expired entry to the next new key, before a live entry\'s', () => {
    const clock = manualClock();
    const cache = new IndexedTtlCache<string, number>({ maxSize: 2, ttlMs: 1_000, now: clock.now });
    cache.set('a', 1, { ttlMs: 10 }).set('b', 2);
    clock.advance(10);
    expect(cache.get('a')).toBeUndefined();
    cache.set('c', 3); // a's slot, without evicting b
    expect([cache.get('b'), cache.get('c')]).toEqual([2, 3]);
  });

  it('lets the collector have what delete() and clear() removed', async () => {
    const cache = new IndexedTtlCache<string, object>({ maxSize: 4, ttlMs: 1_000, now: manualClock().now });
    const afterDelete = await isCollectedAfter(
      (value) => cache.set('a', value),
      () => cache.delete('a'),
    );
    const afterClear = await isCollectedAfter(
      (value) => cache.set('b', value),
      () => cache.clear(),
    );
    const keys = new IndexedTtlCache<object, number>({ maxSize: 4, ttlMs: 1_000, now: manualClock().now });
    const keyAfterClear = await isCollectedAfter(
      (key) => keys.set(key, 1),
      () => keys.clear(),
    );
    expect([afterDelete, afterClear, keyAfterClear]).toEqual([true, true, true]);
  });

  it('empties and refills: after every entry expired and went, the slots serve new keys in order', () => {
    const clock = manualClock();
    const cache = new IndexedTtlCache<string, number>({ maxSize: 2, ttlMs: 100, now: clock.now });
    cache.set('a', 1).set('b', 2);
    clock.advance(100);
    expect(cache.expire()).toEqual([['a', 1], ['b', 2]]);
    cache.set('c', 3).set('d', 4).set('e', 5);
    expect([cache.has('c'), cache.get('d'), cache.get('e')]).toEqual([false, 4, 5]);
  });
});
