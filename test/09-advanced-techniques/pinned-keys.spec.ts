import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { PinnedCache } from '@kata/09-advanced-techniques/pinned-keys.js';
import { escapeGlob, useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';
import { onEvictingServer, startEvictingServer } from './evicting-server.js';

const ns = useRedis();

/** Every key under the test's prefix, with SCAN (never KEYS). */
async function keysOfThisTest(): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await ns.redis.scan(cursor, 'MATCH', `${escapeGlob(ns.prefix)}*`, 'COUNT', 100);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return [...new Set(found)];
}

/** A clock the spec moves: pins are ordered by it. */
function clock(start = 1_000) {
  let now = start;
  return { now: () => now, tick: (ms = 1) => (now += ms) };
}

describe('PinnedCache (priorities Redis can see)', () => {
  it('writes a pinned entry with no TTL, and an ordinary one with its TTL', async () => {
    const cache = new PinnedCache(ns.redis, ns.prefix, { maxPinned: 10 });
    await cache.pin('config', { theme: 'dark' });
    await cache.set('page:1', '<p>hi</p>', 60);
    expect(await ns.redis.ttl(cache.keyFor('config'))).toBe(-1);
    const ttl = await ns.redis.ttl(cache.keyFor('page:1'));
    expect(ttl).toBeGreaterThan(50);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('reads back both kinds, and a cached 0, \'\', false or null is a hit', async () => {
    const cache = new PinnedCache(ns.redis, ns.prefix, { maxPinned: 10 });
    await cache.pin('config', { theme: 'dark' });
    await cache.set('page:1', '<p>hi</p>', 60);
    expect(await cache.get('config')).toEqual({ hit: true, value: { theme: 'dark' } });
    expect(await cache.get('page:1')).toEqual({ hit: true, value: '<p>hi</p>' });
    for (const falsy of [0, '', false, null]) {
      await cache.pin('falsy', falsy);
      expect(await cache.get('falsy')).toEqual({ hit: true, value: falsy });
    }
    expect(await cache.get('nothing')).toEqual({ hit: false });
  });

  it('keeps at most maxPinned pinned entries: pinning one more unpins and deletes the oldest', async () => {
    const time = clock();
    const cache = new PinnedCache(ns.redis, ns.prefix, { maxPinned: 3, now: time.now });
    for (const key of ['a', 'b', 'c', 'd', 'e']) {
      await cache.pin(key, key);
      time.tick();
    }
    expect(await cache.pinned()).toEqual(['c', 'd', 'e']);
    expect(await cache.get('a')).toEqual({ hit: false });
    expect(await cache.get('b')).toEqual({ hit: false });
    expect(await cache.get('e')).toEqual({ hit: true, value: 'e' });
  });

  it('counts a key pinned twice once, and the second pin makes it the newest', async () => {
    const time = clock();
    const cache = new PinnedCache(ns.redis, ns.prefix, { maxPinned: 2, now: time.now });
    await cache.pin('a', 1);
    time.tick();
    await cache.pin('b', 2);
    time.tick();
    await cache.pin('a', 'again');
    time.tick();
    await cache.pin('c', 3);
    expect(await cache.pinned()).toEqual(['a', 'c']);
    expect(await cache.get('a')).toEqual({ hit: true, value: 'again' });
    expect(await cache.get('b')).toEqual({ hit: false });
  });

  it('unpins a key that is set again as ordinary: it gets a TTL and stops counting against maxPinned', async () => {
    const time = clock();
    const cache = new PinnedCache(ns.redis, ns.prefix, { maxPinned: 2, now: time.now });
    await cache.pin('a', 1);
    time.tick();
    await cache.pin('b', 2);
    await cache.set('a', 'ordinary now', 60);
    expect(await cache.pinned()).toEqual(['b']);
    expect(await ns.redis.ttl(cache.keyFor('a'))).toBeGreaterThan(0);
    time.tick();
    await cache.pin('c', 3);
    expect(await cache.get('a')).toEqual({ hit: true, value: 'ordinary now' });
    expect(await cache.pinned()).toEqual(['b', 'c']);
  });

  it('stays within maxPinned when two processes pin at once, with no pinned key left outside the index', async () => {
    const other = await ns.connect();
    const a = new PinnedCache(ns.redis, ns.prefix, { maxPinned: 5 });
    const b = new PinnedCache(other, ns.prefix, { maxPinned: 5 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).pin(`k${i}`, i)));
    const pinned = await a.pinned();
    expect(pinned).toHaveLength(5);
    const entries = (await keysOfThisTest()).filter((key) => key.startsWith(a.keyFor('')));
    expect(entries.sort()).toEqual(pinned.map((key) => a.keyFor(key)).sort());
  });

  it('refuses a bad maxPinned (RangeError), key (TypeError), TTL (RangeError) or value (TypeError) at the call, and writes nothing', async () => {
    await expectRefusal(() => new PinnedCache(ns.redis, ns.prefix, { maxPinned: 0 }), RangeError, 'maxPinned');
    const cache = new PinnedCache(ns.redis, ns.prefix, { maxPinned: 2 });
    await expectRefusal(() => cache.pin('', 1), TypeError, 'key');
    await expectRefusal(() => cache.set('k', 1, 0), RangeError, 'ttlSeconds');
    await expectRefusal(() => cache.pin('k', undefined), TypeError, 'value');
    expect(await keysOfThisTest()).toEqual([]);
  });
});

describe('PinnedCache under memory pressure (a redis-server of the spec\'s own, maxmemory 4mb)', () => {
  const evicting = onEvictingServer();
  const value = 'x'.repeat(1024);

  /** Pins 20 entries, then writes 8 MB of ordinary ones into 4 MB; what is left of each. */
  async function flood(policy: string) {
    const server = await startEvictingServer(policy);
    const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
    try {
      const cache = new PinnedCache(redis, 'app:', { maxPinned: 100 });
      const pins = Array.from({ length: 20 }, (_, i) => `important:${i}`);
      for (const key of pins) await cache.pin(key, value);
      for (let batch = 0; batch < 16; batch++) {
        await Promise.all(Array.from({ length: 500 }, (_, i) => cache.set(`page:${batch}:${i}`, value, 600)));
      }
      const survivors = (await Promise.all(pins.map((key) => cache.get(key)))).filter((read) => read.hit).length;
      const stats = await redis.info('stats');
      const evicted = Number(/evicted_keys:(\d+)/.exec(stats)?.[1]);
      return { survivors, pinned: pins.length, evicted, keys: await redis.dbsize() };
    } finally {
      redis.disconnect();
      await server.kill();
    }
  }

  evicting('keeps every pinned entry through a flood that evicts thousands of ordinary ones (the source\'s "priority": 10 inside the value is never read by Redis)', async () => {
    const { survivors, pinned, evicted } = await flood('volatile-lru');
    expect(evicted).toBeGreaterThan(1000);
    expect(survivors).toBe(pinned);
  }, 30_000);

});
