import { describe, expect, it, vi } from 'vitest';
import { SwrCache } from '@kata/10-stampede/stale-while-revalidate.js';
import { useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';
import { failing } from '../04-caching-patterns/helpers.js';
import { manualClock } from './clock.js';
import { deferred } from './deferred.js';

const ns = useRedis();

function setup(options: { onRefreshError?: (error: unknown) => void } = {}) {
  const clock = manualClock();
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
    const down = new Error('database down');
    const broken = async () => Promise.reject(down);
    expect(await cache.get(ns.key('k'), broken)).toEqual({ value: 'v1', stale: true });
    await cache.settled();
    expect(cache.stats.refreshErrors).toBe(1);
    expect(onRefreshError).toHaveBeenCalledWith(down);
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

  it('answers from the loader when Redis is down', async () => {
    const cache = new SwrCache(failing(ns.redis), { freshSeconds: 10, maxStaleSeconds: 50 });
    expect(await cache.get(ns.key('k'), async () => 'db')).toEqual({ value: 'db', stale: false });
  });

  it('refuses options Redis cannot keep as a TTL (RangeError naming the option) and an empty key (TypeError)', async () => {
    await expectRefusal(() => new SwrCache(ns.redis, { freshSeconds: 0, maxStaleSeconds: 50 }), RangeError, 'freshSeconds');
    await expectRefusal(() => new SwrCache(ns.redis, { freshSeconds: 10, maxStaleSeconds: Number.NaN }), RangeError, 'maxStaleSeconds');
    await expectRefusal(() => setup().cache.get('', async () => 1), TypeError, 'key');
  });
});
