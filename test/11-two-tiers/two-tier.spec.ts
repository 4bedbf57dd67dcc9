import { describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { TwoTierCache, type TwoTierOptions } from '@kata/11-two-tiers/two-tier.js';
import { CodecError, jsonCodec } from '../../provided/codecs.js';
import { useRedis } from '../support/redis.js';
import { failing } from '../04-caching-patterns/helpers.js';
import { deferred } from '../10-stampede/deferred.js';

const ns = useRedis();

/** A clock the spec moves by hand: L1's TTL without sleeps. */
function manualClock() {
  let now = 1_000;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

function twoTier<T>(options: Partial<TwoTierOptions> = {}) {
  return new TwoTierCache<T>({ redis: ns.redis, l1Max: 100, l1TtlMs: 5_000, l2TtlSeconds: 60, ...options });
}

describe('TwoTierCache.get: L1, then L2, then the loader', () => {
  it('loads a missing key once, then answers from L1 without Redis or the loader; a plain miss is no error', async () => {
    const onCacheError = vi.fn();
    const cache = twoTier<string>({ onCacheError });
    const loader = vi.fn(async () => 'Ann');
    expect(await cache.get(ns.key('user', 1), loader)).toBe('Ann');
    expect(await cache.get(ns.key('user', 1), loader)).toBe('Ann');
    expect(loader).toHaveBeenCalledTimes(1);
    expect(cache.stats).toEqual({ l1Hits: 1, l2Hits: 0, misses: 1 });
    expect(onCacheError).not.toHaveBeenCalled();
  });

  it('expires L1 on performance.now() when no clock is given', async () => {
    let now = 5_000;
    const spy = vi.spyOn(performance, 'now').mockImplementation(() => now);
    try {
      const cache = twoTier<string>({ l1TtlMs: 1_000 });
      await cache.get(ns.key('k'), async () => 'v');
      now += 999;
      expect(cache.hasL1(ns.key('k'))).toBe(true);
      now += 2;
      expect(cache.hasL1(ns.key('k'))).toBe(false);
    } finally {
      spy.mockRestore();
    }
  });

  it('fills L2 on a miss, through the codec (a Date stays a Date), with the L2 TTL', async () => {
    const cache = twoTier<{ at: Date }>({ l2TtlSeconds: 42 });
    const at = new Date('2024-01-02T03:04:05Z');
    await cache.get(ns.key('event'), async () => ({ at }));
    const bytes = await ns.redis.getBuffer(ns.key('event'));
    expect(jsonCodec.decode(bytes!)).toEqual({ at });
    const ttl = await ns.redis.ttl(ns.key('event'));
    expect(ttl).toBeGreaterThan(40);
    expect(ttl).toBeLessThanOrEqual(42);
  });

  it('answers another instance (its own empty L1) from L2, without the loader, and fills that L1', async () => {
    const a = twoTier<string>();
    const b = twoTier<string>();
    await a.get(ns.key('user', 1), async () => 'Ann');
    const loader = vi.fn(async () => 'not me');
    expect(await b.get(ns.key('user', 1), loader)).toBe('Ann');
    expect(loader).not.toHaveBeenCalled();
    expect(b.stats).toEqual({ l1Hits: 0, l2Hits: 1, misses: 0 });
    expect(b.hasL1(ns.key('user', 1))).toBe(true);
    await b.get(ns.key('user', 1), loader);
    expect(b.stats.l1Hits).toBe(1);
  });

  it.each([
    ['0', 0],
    ["''", ''],
    ['false', false],
    ['null', null],
    ['undefined', undefined],
  ])('keeps the falsy value %s in both tiers: an L1 hit, then an L2 hit elsewhere (no `if cached` miss)', async (_name, value) => {
    const cache = twoTier<unknown>();
    const loader = vi.fn(async () => value);
    await cache.get(ns.key('falsy'), loader);
    expect(await cache.get(ns.key('falsy'), loader)).toBe(value);
    expect(cache.stats).toEqual({ l1Hits: 1, l2Hits: 0, misses: 1 });
    const other = twoTier<unknown>();
    expect(await other.get(ns.key('falsy'), loader)).toBe(value);
    expect(other.stats).toEqual({ l1Hits: 0, l2Hits: 1, misses: 0 });
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('forgets an L1 entry after l1TtlMs (injected clock) and reads L2 again, not the loader', async () => {
    const clock = manualClock();
    const cache = twoTier<string>({ l1TtlMs: 1_000, now: clock.now });
    const loader = vi.fn(async () => 'Ann');
    await cache.get(ns.key('k'), loader);
    clock.advance(999);
    await cache.get(ns.key('k'), loader);
    expect(cache.stats.l1Hits).toBe(1);
    clock.advance(2);
    expect(cache.hasL1(ns.key('k'))).toBe(false);
    await cache.get(ns.key('k'), loader);
    expect(cache.stats).toEqual({ l1Hits: 1, l2Hits: 1, misses: 1 });
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('holds at most l1Max entries in L1, dropping the least recently used', async () => {
    const cache = twoTier<string>({ l1Max: 2 });
    await cache.get(ns.key('a'), async () => 'a');
    await cache.get(ns.key('b'), async () => 'b');
    await cache.get(ns.key('a'), async () => 'a'); // a is now the most recent
    await cache.get(ns.key('c'), async () => 'c');
    expect([ns.key('a'), ns.key('b'), ns.key('c')].map((k) => cache.hasL1(k))).toEqual([true, false, true]);
  });

  it('shares one load among concurrent misses of a key (single flight)', async () => {
    const cache = twoTier<string>();
    const gate = deferred<string>();
    const loader = vi.fn(() => gate.promise);
    const calls = Array.from({ length: 50 }, () => cache.get(ns.key('hot'), loader));
    gate.resolve('v');
    expect(await Promise.all(calls)).toEqual(Array(50).fill('v'));
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('does not let a load that finishes after a set() overwrite the newer value, in Redis or in L1', async () => {
    const cache = twoTier<string>();
    const other = twoTier<string>();
    const gate = deferred<string>();
    const read = cache.get(ns.key('k'), () => gate.promise); // the database answered before the update...
    await vi.waitFor(() => expect(cache.stats.misses).toBe(1));
    await other.set(ns.key('k'), 'new'); // ... the update is written ...
    gate.resolve('old'); // ... and the old answer arrives last
    expect(await read).toBe('old');
    expect(jsonCodec.decode((await ns.redis.getBuffer(ns.key('k')))!)).toBe('new');
    cache.dropL1(ns.key('k')); // the other instance's message, which this spec has no bus to carry
    expect(await cache.get(ns.key('k'), async () => 'loader')).toBe('new');
  });

  it('with fillL1AfterLoad: false keeps a loaded value out of L1, and keeps the next Redis answer', async () => {
    const cache = twoTier<string>({ fillL1AfterLoad: false });
    await cache.get(ns.key('k'), async () => 'v');
    expect(cache.hasL1(ns.key('k'))).toBe(false);
    await cache.get(ns.key('k'), async () => 'loader');
    expect(cache.hasL1(ns.key('k'))).toBe(true);
    expect(cache.stats).toEqual({ l1Hits: 0, l2Hits: 1, misses: 1 });
  });

  it('passes a failed load to the caller and caches nothing: the next get loads again', async () => {
    const cache = twoTier<string>();
    await expect(cache.get(ns.key('k'), async () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await ns.redis.exists(ns.key('k'))).toBe(0);
    expect(cache.hasL1(ns.key('k'))).toBe(false);
    expect(await cache.get(ns.key('k'), async () => 'back')).toBe('back');
  });
});

describe('TwoTierCache writes', () => {
  it('set writes L2, drops its own L1 entry, and then announces the key, after Redis has the new value', async () => {
    const seen: unknown[] = [];
    const cache = twoTier<string>({
      announce: async (key) => void seen.push([key, jsonCodec.decode((await ns.redis.getBuffer(key))!)]),
    });
    await cache.get(ns.key('k'), async () => 'old');
    await cache.set(ns.key('k'), 'new');
    expect(seen).toEqual([[ns.key('k'), 'new']]);
    expect(cache.hasL1(ns.key('k'))).toBe(false);
    expect(await cache.get(ns.key('k'), async () => 'loader')).toBe('new');
    expect(await ns.redis.ttl(ns.key('k'))).toBeGreaterThan(0);
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

  it('does not let a Redis answer that was on its way when the key was dropped fill L1 (the old value would stay for the whole TTL)', async () => {
    await ns.redis.set(ns.key('k'), jsonCodec.encode('old'));
    const gate = deferred<void>();
    const slow = new Proxy(ns.redis, {
      get(target, property) {
        const value = Reflect.get(target, property, target) as unknown;
        if (property !== 'getBuffer') return typeof value === 'function' ? value.bind(target) : value;
        return async (key: string) => {
          const bytes = await target.getBuffer(key); // the old value, read before the change
          await gate.promise; // ... and delivered after the invalidation
          return bytes;
        };
      },
    });
    const cache = twoTier<string>({ redis: slow });
    const read = cache.get(ns.key('k'), async () => 'loader');
    await vi.waitFor(() => expect(cache.stats).toEqual({ l1Hits: 0, l2Hits: 0, misses: 0 }));
    cache.dropL1(ns.key('k'));
    gate.resolve();
    expect(await read).toBe('old'); // this caller asked before the change: the old value is a fair answer
    expect(cache.hasL1(ns.key('k'))).toBe(false); // but it must not be kept
  });

  it('does not keep an answer that was on its way across a drop and a clear either (each invalidation counts)', async () => {
    await ns.redis.set(ns.key('k'), jsonCodec.encode('old'));
    for (const invalidate of [(c: TwoTierCache<string>) => (c.dropL1(ns.key('k')), c.clearL1()), (c: TwoTierCache<string>) => (c.clearL1(), c.dropL1(ns.key('k')))]) {
      const gate = deferred<void>();
      const slow = new Proxy(ns.redis, {
        get(target, property) {
          const value = Reflect.get(target, property, target) as unknown;
          if (property !== 'getBuffer') return typeof value === 'function' ? value.bind(target) : value;
          return async (key: string) => {
            const bytes = await target.getBuffer(key);
            await gate.promise;
            return bytes;
          };
        },
      });
      const cache = twoTier<string>({ redis: slow });
      const read = cache.get(ns.key('k'), async () => 'loader');
      await Promise.resolve();
      invalidate(cache);
      gate.resolve();
      await read;
      expect(cache.hasL1(ns.key('k'))).toBe(false);
    }
  });

  it('clearL1 empties L1; a cleared cache reads L2 again', async () => {
    const cache = twoTier<string>();
    await cache.get(ns.key('a'), async () => 'a');
    await cache.get(ns.key('b'), async () => 'b');
    cache.clearL1();
    expect(cache.hasL1(ns.key('a')) || cache.hasL1(ns.key('b'))).toBe(false);
    await cache.get(ns.key('a'), async () => 'loader');
    expect(cache.stats.l2Hits).toBe(1);
  });

  it('neither reads nor fills L1 while trustL1 is false, and starts from an empty L1 when trusted again', async () => {
    const cache = twoTier<string>();
    await cache.get(ns.key('k'), async () => 'v');
    cache.trustL1 = false;
    await cache.get(ns.key('k'), async () => 'loader');
    await cache.get(ns.key('k'), async () => 'loader');
    expect(cache.stats).toEqual({ l1Hits: 0, l2Hits: 2, misses: 1 });
    expect(cache.hasL1(ns.key('k'))).toBe(false);
    cache.trustL1 = true;
    expect(cache.hasL1(ns.key('k'))).toBe(false);
    await cache.get(ns.key('k'), async () => 'loader');
    await cache.get(ns.key('k'), async () => 'loader');
    expect(cache.stats).toEqual({ l1Hits: 1, l2Hits: 3, misses: 1 });
  });
});

describe('TwoTierCache when Redis fails', () => {
  it('reads bytes it did not write (another app, another codec) as a miss, reports a CodecError and loads', async () => {
    await ns.redis.set(ns.key('k'), 'plain text from another app');
    const errors: unknown[] = [];
    const cache = twoTier<string>({ onCacheError: (error) => errors.push(error) });
    expect(await cache.get(ns.key('k'), async () => 'loaded')).toBe('loaded');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(CodecError);
  });

  it('serves from the loader and then from L1 when Redis is down, reporting each failure, never throwing', async () => {
    const errors: unknown[] = [];
    const cache = twoTier<string>({ redis: failing(ns.redis) as Redis, onCacheError: (error) => errors.push(error) });
    expect(await cache.get(ns.key('k'), async () => 'v')).toBe('v');
    expect(errors).toHaveLength(2); // the read and the write
    expect(await cache.get(ns.key('k'), async () => 'loader')).toBe('v');
    await expect(cache.set(ns.key('k'), 'w')).resolves.toBeUndefined();
    expect(errors).toHaveLength(3); // the set's write
    await expect(cache.delete(ns.key('k'))).resolves.toBeUndefined();
    expect(errors).toHaveLength(4); // the delete's UNLINK
    expect(cache.hasL1(ns.key('k'))).toBe(false);
  });

  it('reports an announce that fails instead of failing the write', async () => {
    const errors: unknown[] = [];
    const cache = twoTier<string>({ announce: async () => Promise.reject(new Error('publish failed')), onCacheError: (error) => errors.push(error) });
    await expect(cache.set(ns.key('k'), 'v')).resolves.toBeUndefined();
    expect(errors).toEqual([expect.objectContaining({ message: 'publish failed' })]);
  });
});

describe('TwoTierCache refuses bad input at the call', () => {
  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('l1Max %s is a RangeError that names it', (l1Max) => {
    expect(() => twoTier({ l1Max })).toThrow(RangeError);
    expect(() => twoTier({ l1Max })).toThrow(/TwoTierCache: l1Max/);
  });

  it.each([0, -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31])('l1TtlMs %s is a RangeError (whole ms; Node timers stop at 2^31 - 1 ms)', (l1TtlMs) => {
    expect(() => twoTier({ l1TtlMs })).toThrow(RangeError);
    expect(() => twoTier({ l1TtlMs })).toThrow(/TwoTierCache: l1TtlMs/);
  });

  it('accepts the edges: l1Max 1, l1TtlMs 1 and 2^31 - 1', () => {
    expect(() => twoTier({ l1Max: 1, l1TtlMs: 1 })).not.toThrow();
    expect(() => twoTier({ l1TtlMs: 2 ** 31 - 1 })).not.toThrow();
  });

  it('refuses an L2 TTL Redis would refuse', () => {
    expect(() => twoTier({ l2TtlSeconds: 0 })).toThrow(/TwoTierCache/);
  });

  it('refuses an empty key in get, set and delete', async () => {
    const cache = twoTier<string>();
    await expect(cache.get('', async () => 'v')).rejects.toThrow(/TwoTierCache\.get/);
    await expect(cache.set('', 'v')).rejects.toThrow(/TwoTierCache\.set/);
    await expect(cache.delete('')).rejects.toThrow(/TwoTierCache\.delete/);
    await expect(cache.get('', async () => 'v')).rejects.toThrow(TypeError);
  });
});
