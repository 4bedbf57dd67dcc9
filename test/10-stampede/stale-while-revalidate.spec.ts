import { describe, expect, it, vi } from 'vitest';
import { SwrCache } from '@kata/10-stampede/stale-while-revalidate.js';
import { useRedis } from '../support/redis.js';
import { failing } from '../04-caching-patterns/helpers.js';
import { deferred } from './deferred.js';

const ns = useRedis();

function setup(options: { onRefreshError?: (error: unknown) => void } = {}) {
  let t = 1_000_000;
  const clock = { now: () => t, advance: (ms: number) => void (t += ms) };
  const cache = new SwrCache(ns.redis, { freshSeconds: 10, maxStaleSeconds: 50, now: clock.now, ...options });
  return { cache, clock };
}

describe('SwrCache (stale-while-revalidate)', () => {
  it('serves a fresh value without loading again', async () => {
    const { cache, clock } = setup();
    const loader = vi.fn(async () => 'v1');
    expect(await cache.get(ns.key('k'), loader)).toEqual({ value: 'v1', stale: false });
    clock.advance(9_999);
    expect(await cache.get(ns.key('k'), loader)).toEqual({ value: 'v1', stale: false });
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('past freshness, answers at once with the stale value (marked stale) while the refresh still runs', async () => {
    const { cache, clock } = setup();
    await cache.get(ns.key('k'), async () => 'v1');
    clock.advance(10_000);
    const gate = deferred<string>();
    const result = await cache.get(ns.key('k'), () => gate.promise); // resolves although the load has not
    expect(result).toEqual({ value: 'v1', stale: true });
    gate.resolve('v2');
    await cache.settled();
    expect(await cache.get(ns.key('k'), async () => 'v3')).toEqual({ value: 'v2', stale: false });
  });

  it('starts one background refresh per key, however many stale reads arrive', async () => {
    const { cache, clock } = setup();
    await cache.get(ns.key('k'), async () => 'v1');
    clock.advance(20_000);
    const gate = deferred<string>();
    const loader = vi.fn(() => gate.promise);
    const reads = await Promise.all(Array.from({ length: 100 }, () => cache.get(ns.key('k'), loader)));
    expect(reads.every((r) => r.stale && r.value === 'v1')).toBe(true);
    gate.resolve('v2');
    await cache.settled();
    expect(loader).toHaveBeenCalledTimes(1);
    expect(cache.stats.refreshes).toBe(1);
  });

  it('counts and reports a failed background refresh, never throws it at a caller, and keeps serving the stale value', async () => {
    const onRefreshError = vi.fn();
    const { cache, clock } = setup({ onRefreshError });
    await cache.get(ns.key('k'), async () => 'v1');
    clock.advance(15_000);
    const broken = async () => Promise.reject(new Error('database down'));
    expect(await cache.get(ns.key('k'), broken)).toEqual({ value: 'v1', stale: true });
    await cache.settled();
    expect(cache.stats.refreshErrors).toBe(1);
    expect(onRefreshError).toHaveBeenCalledWith(expect.objectContaining({ message: 'database down' }));
    expect(await cache.get(ns.key('k'), broken)).toEqual({ value: 'v1', stale: true });
    await cache.settled();
  });

  it('never serves a value older than freshSeconds + maxStaleSeconds: the caller then waits for a load', async () => {
    const { cache, clock } = setup();
    await cache.get(ns.key('k'), async () => 'v1');
    clock.advance(60_000);
    expect(await cache.get(ns.key('k'), async () => 'v2')).toEqual({ value: 'v2', stale: false });
  });

  it('keeps the entry in Redis for freshSeconds + maxStaleSeconds, no longer', async () => {
    const { cache } = setup();
    await cache.get(ns.key('k'), async () => 'v1');
    const ttl = await ns.redis.ttl(ns.key('k'));
    expect(ttl).toBeGreaterThan(10);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('shares one load among concurrent misses of a cold key', async () => {
    const { cache } = setup();
    const gate = deferred<string>();
    const loader = vi.fn(() => gate.promise);
    const reads = Array.from({ length: 50 }, () => cache.get(ns.key('cold'), loader));
    await vi.waitFor(() => expect(loader).toHaveBeenCalled());
    gate.resolve('v');
    expect((await Promise.all(reads)).every((r) => r.value === 'v' && !r.stale)).toBe(true);
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('caches falsy values: a stored 0 is served fresh, not loaded again', async () => {
    const { cache } = setup();
    const loader = vi.fn(async () => 0);
    await cache.get(ns.key('zero'), loader);
    expect(await cache.get(ns.key('zero'), loader)).toEqual({ value: 0, stale: false });
    expect(loader).toHaveBeenCalledTimes(1);
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

  it('counts what it did: fresh hits, stale hits, misses and refreshes', async () => {
    const { cache, clock } = setup();
    await cache.get(ns.key('k'), async () => 'v1'); // miss
    await cache.get(ns.key('k'), async () => 'v1'); // fresh
    clock.advance(10_000);
    await cache.get(ns.key('k'), async () => 'v2'); // stale, starts a refresh
    await cache.settled();
    expect(cache.stats).toEqual({ fresh: 1, stale: 1, misses: 1, refreshes: 1, refreshErrors: 0 });
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

  it('answers from the loader when Redis is down', async () => {
    const cache = new SwrCache(failing(ns.redis), { freshSeconds: 10, maxStaleSeconds: 50 });
    expect(await cache.get(ns.key('k'), async () => 'db')).toEqual({ value: 'db', stale: false });
  });

  it.each([
    [{ freshSeconds: 0, maxStaleSeconds: 50 }, /^SwrCache freshSeconds: ttlSeconds must be/],
    [{ freshSeconds: 1.5, maxStaleSeconds: 50 }, /^SwrCache freshSeconds: ttlSeconds must be/],
    [{ freshSeconds: 10, maxStaleSeconds: Number.NaN }, /^SwrCache maxStaleSeconds: ttlSeconds must be/],
  ])('refuses options Redis cannot keep as a TTL (%o), naming the option', (options, message) => {
    expect(() => new SwrCache(ns.redis, options)).toThrow(message);
  });

  it('refuses an empty key, naming SwrCache.get', async () => {
    const { cache } = setup();
    await expect(cache.get('', async () => 1)).rejects.toThrow(/^SwrCache\.get: the key/);
  });
});
