import { describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { TwoTierCache, type TwoTierOptions } from '@kata/11-two-tiers/two-tier.js';
import { jsonCodec } from '../../provided/codecs.js';
import { useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';
import { failing } from '../04-caching-patterns/helpers.js';
import { manualClock } from '../10-stampede/clock.js';
import { deferred } from '../10-stampede/deferred.js';
import { slowReads } from './slow-redis.js';

const ns = useRedis();

function twoTier<T>(options: Partial<TwoTierOptions> = {}) {
  return new TwoTierCache<T>({ redis: ns.redis, l1Max: 100, l1TtlMs: 5_000, l2TtlSeconds: 60, ...options });
}

describe('TwoTierCache.get: L1, then L2, then the loader', () => {
  it('loads a missing key once, then answers from L1 without Redis or the loader', async () => {
    const cache = twoTier<string>();
    const loader = vi.fn(async () => 'Ann');
    expect(await cache.get(ns.key('user', 1), loader)).toBe('Ann');
    expect(await cache.get(ns.key('user', 1), loader)).toBe('Ann');
    expect(loader).toHaveBeenCalledTimes(1);
    expect(cache.stats).toEqual({ l1Hits: 1, l2Hits: 0, misses: 1 });
  });

  it('answers another instance (its own empty L1) from L2, without the loader, and fills that L1', async () => {
    await twoTier<string>().get(ns.key('user', 1), async () => 'Ann');
    const b = twoTier<string>();
    const loader = vi.fn(async () => 'not me');
    expect(await b.get(ns.key('user', 1), loader)).toBe('Ann');
    expect(loader).not.toHaveBeenCalled();
    expect(b.stats).toEqual({ l1Hits: 0, l2Hits: 1, misses: 0 });
    expect(b.hasL1(ns.key('user', 1))).toBe(true);
  });

  it('keeps falsy values in both tiers: a cached 0 is an L1 hit here, an L2 hit elsewhere (no `if cached` miss)', async () => {
    const loader = vi.fn(async () => 0);
    const cache = twoTier<number>();
    await cache.get(ns.key('zero'), loader);
    expect(await cache.get(ns.key('zero'), loader)).toBe(0);
    expect(await twoTier<number>().get(ns.key('zero'), loader)).toBe(0);
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('reads L2 again, not the loader, once an L1 entry is l1TtlMs old (on the clock it was given)', async () => {
    const clock = manualClock();
    const cache = twoTier<string>({ l1TtlMs: 1_000, now: clock.now });
    const loader = vi.fn(async () => 'Ann');
    await cache.get(ns.key('k'), loader);
    clock.advance(1_001);
    await cache.get(ns.key('k'), loader);
    expect(cache.stats).toEqual({ l1Hits: 0, l2Hits: 1, misses: 1 });
  });

  it('shares one load among concurrent misses of a key (single flight)', async () => {
    const cache = twoTier<string>();
    const gate = deferred<string>();
    const loader = vi.fn(() => gate.promise);
    const calls = Promise.all(Array.from({ length: 50 }, () => cache.get(ns.key('hot'), loader)));
    await vi.waitFor(() => expect(loader).toHaveBeenCalled());
    gate.resolve('v');
    expect(await calls).toEqual(Array(50).fill('v'));
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('does not keep a Redis answer that was on its way when the key was dropped: the old value would stay for the whole L1 TTL', async () => {
    await ns.redis.set(ns.key('k'), jsonCodec.encode('old'));
    const { redis, release } = slowReads(ns.redis);
    const cache = twoTier<string>({ redis });
    const read = cache.get(ns.key('k'), async () => 'loader');
    await new Promise((resolve) => setImmediate(resolve)); // the GET has been sent
    cache.dropL1(ns.key('k')); // the message "k changed" is handled before the GET's answer
    release();
    expect(await read).toBe('old'); // this caller asked before the change: the old value is a fair answer
    expect(cache.hasL1(ns.key('k'))).toBe(false); // but it is not kept
  });

  it('with fillL1AfterLoad: false keeps a loaded value out of L1, and keeps the next Redis answer', async () => {
    const cache = twoTier<string>({ fillL1AfterLoad: false });
    await cache.get(ns.key('k'), async () => 'v');
    expect(cache.hasL1(ns.key('k'))).toBe(false);
    await cache.get(ns.key('k'), async () => 'loader');
    expect(cache.hasL1(ns.key('k'))).toBe(true);
  });
});

describe('TwoTierCache writes, and the doors for the other instances', () => {
  it('set writes L2, drops its own L1 entry, and then announces the key, once Redis has the new value', async () => {
    const seen: unknown[] = [];
    const cache = twoTier<string>({ announce: async (key) => void seen.push([key, jsonCodec.decode((await ns.redis.getBuffer(key))!)]) });
    await cache.get(ns.key('k'), async () => 'old');
    await cache.set(ns.key('k'), 'new');
    expect(seen).toEqual([[ns.key('k'), 'new']]);
    expect(cache.hasL1(ns.key('k'))).toBe(false);
    expect(await cache.get(ns.key('k'), async () => 'loader')).toBe('new');
  });

  it('delete removes the key from L2 and L1, then announces it', async () => {
    const announced: string[] = [];
    const cache = twoTier<string>({ announce: (key) => void announced.push(key) });
    await cache.get(ns.key('k'), async () => 'v');
    await cache.delete(ns.key('k'));
    expect(await ns.redis.exists(ns.key('k'))).toBe(0);
    expect(cache.hasL1(ns.key('k'))).toBe(false);
    expect(announced).toEqual([ns.key('k')]);
  });

  it('dropL1 and clearL1 forget here; while trustL1 is false, L1 is neither read nor filled', async () => {
    const cache = twoTier<string>();
    await cache.get(ns.key('a'), async () => 'a');
    await cache.get(ns.key('b'), async () => 'b');
    cache.dropL1(ns.key('a'));
    expect([cache.hasL1(ns.key('a')), cache.hasL1(ns.key('b'))]).toEqual([false, true]);
    cache.clearL1();
    expect(cache.hasL1(ns.key('b'))).toBe(false);
    cache.trustL1 = false;
    await cache.get(ns.key('a'), async () => 'loader');
    await cache.get(ns.key('a'), async () => 'loader');
    expect(cache.stats.l1Hits).toBe(0);
    expect(cache.hasL1(ns.key('a'))).toBe(false);
    cache.trustL1 = true;
    await cache.get(ns.key('a'), async () => 'loader');
    await cache.get(ns.key('a'), async () => 'loader');
    expect(cache.stats.l1Hits).toBe(1);
  });
});

describe('TwoTierCache when things fail', () => {
  it('serves from the loader and then from L1 when Redis is down, reporting each failure, never throwing', async () => {
    const onCacheError = vi.fn();
    const cache = twoTier<string>({ redis: failing(ns.redis) as Redis, onCacheError });
    expect(await cache.get(ns.key('k'), async () => 'v')).toBe('v');
    expect(await cache.get(ns.key('k'), async () => 'loader')).toBe('v');
    await expect(cache.set(ns.key('k'), 'w')).resolves.toBeUndefined();
    await expect(cache.delete(ns.key('k'))).resolves.toBeUndefined();
    expect(onCacheError).toHaveBeenCalled();
    expect(cache.hasL1(ns.key('k'))).toBe(false);
  });

  it('reports an announce that fails instead of failing the write', async () => {
    const onCacheError = vi.fn();
    const broken = new Error('publish failed');
    const cache = twoTier<string>({ announce: async () => Promise.reject(broken), onCacheError });
    await expect(cache.set(ns.key('k'), 'v')).resolves.toBeUndefined();
    expect(onCacheError).toHaveBeenCalledWith(broken);
  });

  it('refuses an empty key (TypeError) in get, set and delete, and options that cannot work (RangeError naming them)', async () => {
    const cache = twoTier<string>();
    await expectRefusal(() => cache.get('', async () => 'v'), TypeError, 'key');
    await expectRefusal(() => cache.set('', 'v'), TypeError, 'key');
    await expectRefusal(() => cache.delete(''), TypeError, 'key');
    await expectRefusal(() => twoTier({ l1Max: 0 }), RangeError, 'l1Max');
    await expectRefusal(() => twoTier({ l1TtlMs: 2 ** 31 }), RangeError, 'l1TtlMs');
    await expectRefusal(() => twoTier({ l2TtlSeconds: 0 }), RangeError, 'l2TtlSeconds');
  });
});
