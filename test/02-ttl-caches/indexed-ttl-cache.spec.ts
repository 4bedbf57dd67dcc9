import { describe, expect, it } from 'vitest';
import { IndexedTtlCache } from '@kata/02-ttl-caches/indexed-ttl-cache.js';
import { manualClock } from './manual-clock.js';
import { describeTtlCore } from './ttl-cache-behaviour.js';

// The same bar as TtlCache: everything a TTL cache must do.
describeTtlCore('IndexedTtlCache', IndexedTtlCache);

// What can go wrong only when entries live in numbered slots.
describe('IndexedTtlCache slots', () => {
  it('gives a reused slot the new entry\'s own TTL: an evicted entry\'s time does not stay behind', () => {
    const clock = manualClock();
    const cache = new IndexedTtlCache<string, number>({ maxSize: 1, ttlMs: 1_000, now: clock.now });
    cache.set('a', 1, { ttlMs: 10 });
    cache.set('b', 2); // full: b takes a's slot
    clock.advance(10);
    expect(cache.get('b')).toBe(2);
    expect(cache.has('a')).toBe(false);
  });
});
