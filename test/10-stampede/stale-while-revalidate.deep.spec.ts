import { afterEach, describe, expect, it, vi } from 'vitest';
import { SwrCache } from '@kata/10-stampede/stale-while-revalidate.js';
import { useRedis } from '../support/redis.js';
import { MAX_TTL_SECONDS } from '../../provided/json-cache.js';
import { failing } from '../04-caching-patterns/helpers.js';
import { manualClock } from './clock.js';
import { deferred } from './deferred.js';

const ns = useRedis();

function setup(options: { onRefreshError?: (error: unknown) => void; onCacheError?: (error: unknown) => void } = {}) {
  const clock = manualClock();
  const cache = new SwrCache(ns.redis, { freshSeconds: 10, maxStaleSeconds: 50, now: clock.now, ...options });
  return { cache, clock };
}

/** Every unhandled rejection while a test runs (a background promise nobody caught would crash Node). */
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
process.on('unhandledRejection', onUnhandled);
afterEach(() => void unhandled.splice(0));

describe('SwrCache, in depth', () => {
  it('survives an onRefreshError that throws: no unhandled rejection, the error counted, the next refresh still runs', async () => {
    const { cache, clock } = setup({
      onRefreshError: () => {
        throw new Error('a listener with a bug');
      },
    });
    await cache.get(ns.key('k'), async () => 'v1');
    clock.advance(15_000);
    expect(await cache.get(ns.key('k'), async () => Promise.reject(new Error('down')))).toEqual({ value: 'v1', stale: true });
    await cache.settled();
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
    expect(cache.stats.refreshErrors).toBe(1);
    expect(await cache.get(ns.key('k'), async () => 'v2')).toEqual({ value: 'v1', stale: true });
    await cache.settled();
    expect(await cache.get(ns.key('k'), async () => 'v3')).toEqual({ value: 'v2', stale: false });
  });

  it('counts what it did: fresh hits, stale hits, misses and refreshes', async () => {
    const { cache, clock } = setup();
    await cache.get(ns.key('k'), async () => 'v1'); // miss
    await cache.get(ns.key('k'), async () => 'v1'); // fresh
    clock.advance(10_000);
    await cache.get(ns.key('k'), async () => 'v2'); // stale, starts a refresh
    await cache.settled();
    expect(cache.stats).toEqual({ fresh: 1, stale: 1, misses: 1, refreshes: 1, refreshErrors: 0 });
  });

  it('serves as stale exactly from freshSeconds on, and loads exactly from freshSeconds + maxStaleSeconds on', async () => {
    const { cache, clock } = setup();
    await cache.get(ns.key('a'), async () => 'v1');
    clock.advance(9_999);
    expect(await cache.get(ns.key('a'), async () => 'x')).toEqual({ value: 'v1', stale: false });
    clock.advance(1);
    expect(await cache.get(ns.key('a'), async () => 'v2')).toEqual({ value: 'v1', stale: true });
    await cache.settled();
    await cache.get(ns.key('b'), async () => 'w1');
    clock.advance(59_999);
    expect(await cache.get(ns.key('b'), async () => 'w2')).toEqual({ value: 'w1', stale: true });
    await cache.settled();
    await ns.redis.set(ns.key('c'), JSON.stringify({ value: 'c1', freshUntil: clock.now() - 50_000 }), 'EX', 60);
    expect(await cache.get(ns.key('c'), async () => 'c2')).toEqual({ value: 'c2', stale: false });
  });

  it('settled() waits for a refresh that is still waiting on I/O', async () => {
    const { cache, clock } = setup();
    await cache.get(ns.key('k'), async () => 'v1');
    clock.advance(10_000);
    let finished = false;
    await cache.get(ns.key('k'), async () => {
      await new Promise((resolve) => setImmediate(resolve)); // a macrotask, as a database answer is
      finished = true;
      return 'v2';
    });
    await cache.settled();
    expect(finished).toBe(true);
  });

  it('lets a miss join a background refresh that is running for the key (one load, one answer)', async () => {
    const { cache, clock } = setup();
    await cache.get(ns.key('k'), async () => 'v1');
    clock.advance(10_000);
    const gate = deferred<string>();
    const loader = vi.fn(() => gate.promise);
    await cache.get(ns.key('k'), loader); // stale: the refresh starts
    await ns.redis.del(ns.key('k')); // the entry is gone (evicted): the next read is a miss
    const miss = cache.get(ns.key('k'), loader);
    gate.resolve('v2');
    expect(await miss).toEqual({ value: 'v2', stale: false });
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('caches falsy values: a stored 0, null, \'\' or false is served fresh, not loaded again', async () => {
    const { cache } = setup();
    for (const value of [0, null, '', false]) {
      const loader = vi.fn(async () => value);
      await cache.get(ns.key('f', String(value)), loader);
      expect(await cache.get(ns.key('f', String(value)), loader)).toEqual({ value, stale: false });
      expect(loader).toHaveBeenCalledTimes(1);
    }
  });

  it.each(['{"freshUntil":"soon"}', '{"freshUntil":9000000000000000}', '{"value":1}', 'null', '"text"', '42', 'not json'])(
    'treats a foreign value under the key (%s) as a miss, and replaces it',
    async (foreign) => {
      const { cache } = setup();
      await ns.redis.set(ns.key('foreign'), foreign);
      expect(await cache.get(ns.key('foreign'), async () => 'mine')).toEqual({ value: 'mine', stale: false });
      expect(await cache.get(ns.key('foreign'), async () => 'again')).toEqual({ value: 'mine', stale: false });
    },
  );

  it('treats a list under the key (WRONGTYPE) as a miss, and replaces it', async () => {
    const { cache } = setup();
    await ns.redis.rpush(ns.key('k'), 'a');
    expect(await cache.get(ns.key('k'), async () => 'mine')).toEqual({ value: 'mine', stale: false });
    expect(await cache.get(ns.key('k'), async () => 'again')).toEqual({ value: 'mine', stale: false });
  });

  it('reports a refresh whose write fails to onCacheError, and still serves the refreshed value from then on in this process', async () => {
    const onCacheError = vi.fn();
    const cache = new SwrCache(failing(ns.redis), { freshSeconds: 10, maxStaleSeconds: 50, onCacheError });
    expect(await cache.get(ns.key('k'), async () => 'db')).toEqual({ value: 'db', stale: false });
    expect(onCacheError).toHaveBeenCalledTimes(2); // the read and the write
  });

  it('passes a failed load to a caller who had nothing to serve, and counts it as a miss, not a refresh error', async () => {
    const { cache } = setup();
    const down = new Error('database down');
    await expect(cache.get(ns.key('k'), async () => Promise.reject(down))).rejects.toBe(down);
    expect(cache.stats).toEqual({ fresh: 0, stale: 0, misses: 1, refreshes: 0, refreshErrors: 0 });
    await cache.settled();
  });

  it.each([
    [{ freshSeconds: 0, maxStaleSeconds: 50 }, /^SwrCache freshSeconds: ttlSeconds must be/],
    [{ freshSeconds: 1.5, maxStaleSeconds: 50 }, /^SwrCache freshSeconds: ttlSeconds must be/],
    [{ freshSeconds: 10, maxStaleSeconds: Number.NaN }, /^SwrCache maxStaleSeconds: ttlSeconds must be/],
    [{ freshSeconds: 2 ** 52, maxStaleSeconds: 2 ** 52 }, /^SwrCache freshSeconds: ttlSeconds must be/],
    [{ freshSeconds: MAX_TTL_SECONDS, maxStaleSeconds: 1 }, /^SwrCache freshSeconds \+ maxStaleSeconds: ttlSeconds must be/],
  ])('refuses options Redis cannot keep as a TTL (%o), with the exact message', (options, message) => {
    expect(() => new SwrCache(ns.redis, options)).toThrow(message);
  });

  it('refuses an empty key, naming SwrCache.get', async () => {
    const { cache } = setup();
    await expect(cache.get('', async () => 1)).rejects.toThrow(/^SwrCache\.get: the key/);
  });
});
