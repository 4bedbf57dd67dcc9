import { describe, expect, it } from 'vitest';
import { TtlCache } from '@kata/02-ttl-caches/ttl-cache.js';
import { isCollectedAfter } from '../support/collected.js';
import { manualClock } from './manual-clock.js';
import { describeTtlDeep } from './ttl-cache-behaviour.js';

describeTtlDeep('TtlCache', TtlCache);

describe('TtlCache, deeper: a read of an expired entry', () => {
  it('drops it at once: the LRU\'s get() made it the newest, where no write would find it, and the collector can have its value', async () => {
    const clock = manualClock();
    const cache = new TtlCache<string, object>({ maxSize: 10, ttlMs: 1_000, now: clock.now });
    const afterRead = await isCollectedAfter(
      (value) => cache.set('a', value, { ttlMs: 10 }).set('b', {}),
      () => {
        clock.advance(10);
        cache.get('a');
      },
    );
    expect(afterRead).toBe(true);
  });
});
