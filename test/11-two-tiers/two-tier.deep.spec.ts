import { describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { TwoTierCache, type TwoTierOptions } from '@kata/11-two-tiers/two-tier.js';
import { CodecError, jsonCodec } from '../../provided/codecs.js';
import { useRedis } from '../support/redis.js';
import { failing } from '../04-caching-patterns/helpers.js';
import { deferred } from '../10-stampede/deferred.js';
import { slowReads } from './slow-redis.js';

const ns = useRedis();

function twoTier<T>(options: Partial<TwoTierOptions> = {}) {
  return new TwoTierCache<T>({ redis: ns.redis, l1Max: 100, l1TtlMs: 5_000, l2TtlSeconds: 60, ...options });
}

function heldLoad<T>() {
  const result = deferred<T>();
  const load = vi.fn(() => result.promise);
  return { load, finish: (value: T) => result.resolve(value), started: () => vi.waitFor(() => expect(load).toHaveBeenCalled(), { timeout: 1_000, interval: 1 }) };
}

describe('TwoTierCache, in depth: reads', () => {
  it.each([
    ['0', 0],
    ["''", ''],
    ['false', false],
    ['null', null],
    ['undefined', undefined],
  ])('keeps the falsy value %s in both tiers: an L1 hit, then an L2 hit elsewhere', async (_name, value) => {
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

  it('gives the same value from L1 and from L2, through the codec: a Date stays a Date, a Map a Map', async () => {
    const value = { at: new Date('2024-01-02T03:04:05Z'), tags: new Map([['a', 1]]) };
    const here = twoTier<typeof value>();
    await here.get(ns.key('k'), async () => value);
    expect(await here.get(ns.key('k'), async () => value)).toEqual(value);
    expect(await twoTier<typeof value>().get(ns.key('k'), async () => ({ at: new Date(0), tags: new Map() }))).toEqual(value);
    const ttl = await ns.redis.ttl(ns.key('k'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('holds at most l1Max entries in L1, dropping the least recently used', async () => {
    const cache = twoTier<string>({ l1Max: 2 });
    await cache.get(ns.key('a'), async () => 'a');
    await cache.get(ns.key('b'), async () => 'b');
    await cache.get(ns.key('a'), async () => 'a'); // a is now the most recent
    await cache.get(ns.key('c'), async () => 'c');
    expect([ns.key('a'), ns.key('b'), ns.key('c')].map((k) => cache.hasL1(k))).toEqual([true, false, true]);
  });

  it('does not keep an answer that was on its way across a drop and a clear, in either order (each invalidation counts)', async () => {
    await ns.redis.set(ns.key('k'), jsonCodec.encode('old'));
    for (const invalidate of [(c: TwoTierCache<string>) => (c.dropL1(ns.key('k')), c.clearL1()), (c: TwoTierCache<string>) => (c.clearL1(), c.dropL1(ns.key('k')))]) {
      const { redis, release } = slowReads(ns.redis);
      const cache = twoTier<string>({ redis });
      const read = cache.get(ns.key('k'), async () => 'loader');
      await new Promise((resolve) => setImmediate(resolve));
      invalidate(cache);
      release();
      await read;
      expect(cache.hasL1(ns.key('k'))).toBe(false);
    }
  });

  it('passes a failed load to the caller and caches nothing: the next get loads again', async () => {
    const cache = twoTier<string>();
    const down = new Error('db down');
    await expect(cache.get(ns.key('k'), async () => Promise.reject(down))).rejects.toBe(down);
    expect(await ns.redis.exists(ns.key('k'))).toBe(0);
    expect(cache.hasL1(ns.key('k'))).toBe(false);
    expect(await cache.get(ns.key('k'), async () => 'back')).toBe('back');
  });

  it('counts precisely while L1 is not trusted, and starts from an empty L1 when trusted again', async () => {
    const cache = twoTier<string>();
    await cache.get(ns.key('k'), async () => 'v');
    cache.trustL1 = false;
    await cache.get(ns.key('k'), async () => 'loader');
    await cache.get(ns.key('k'), async () => 'loader');
    expect(cache.stats).toEqual({ l1Hits: 0, l2Hits: 2, misses: 1 });
    cache.trustL1 = true;
    expect(cache.hasL1(ns.key('k'))).toBe(false);
    await cache.get(ns.key('k'), async () => 'loader');
    await cache.get(ns.key('k'), async () => 'loader');
    expect(cache.stats).toEqual({ l1Hits: 1, l2Hits: 3, misses: 1 });
  });
});

describe('TwoTierCache, in depth: an invalidation wins over a load already running', () => {
  it('a load that finishes after a set() does not overwrite the newer value, in Redis or in L1', async () => {
    const cache = twoTier<string>();
    const { load, finish, started } = heldLoad<string>();
    const read = cache.get(ns.key('k'), load); // the database answered before the update...
    await started();
    await twoTier<string>().set(ns.key('k'), 'new'); // ... another instance writes the update ...
    finish('old'); // ... and the old answer arrives last
    expect(await read).toBe('old');
    expect(jsonCodec.decode((await ns.redis.getBuffer(ns.key('k')))!)).toBe('new');
    cache.dropL1(ns.key('k')); // the other instance's message, which this spec has no bus to carry
    expect(await cache.get(ns.key('k'), async () => 'loader')).toBe('new');
  });

  it('a load that began before a delete() does not write its old result back: every instance reads a miss, not the old value', async () => {
    const cache = twoTier<string>();
    const { load, finish, started } = heldLoad<string>();
    const read = cache.get(ns.key('k'), load);
    await started();
    await twoTier<string>().delete(ns.key('k')); // the row is gone; another instance deletes the key
    finish('old');
    expect(await read).toBe('old');
    expect(await ns.redis.exists(ns.key('k'))).toBe(0);
    expect(await twoTier<string>().get(ns.key('k'), async () => 'reloaded')).toBe('reloaded');
  });

  it('a load that began before its own instance\'s delete() keeps nothing in L1 either', async () => {
    const cache = twoTier<string>();
    const { load, finish, started } = heldLoad<string>();
    const read = cache.get(ns.key('k'), load);
    await started();
    await cache.delete(ns.key('k'));
    finish('old');
    await read;
    expect(cache.hasL1(ns.key('k'))).toBe(false);
  });
});

describe('TwoTierCache, in depth: what Redis holds that is not ours', () => {
  it('reads bytes it did not write (another app, another codec) as a miss, reports a CodecError, and heals the key', async () => {
    await ns.redis.set(ns.key('k'), 'plain text from another app');
    const errors: unknown[] = [];
    const cache = twoTier<string>({ onCacheError: (error) => errors.push(error) });
    expect(await cache.get(ns.key('k'), async () => 'loaded')).toBe('loaded');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(CodecError);
    const other = twoTier<string>();
    expect(await other.get(ns.key('k'), async () => 'loaded again')).toBe('loaded'); // healed: an L2 hit elsewhere
    expect(other.stats.l2Hits).toBe(1);
  });

  it('reads another type under the key (WRONGTYPE) as a reported miss, and heals the key', async () => {
    await ns.redis.rpush(ns.key('k'), 'a list someone pushed');
    const onCacheError = vi.fn();
    expect(await twoTier<string>({ onCacheError }).get(ns.key('k'), async () => 'loaded')).toBe('loaded');
    expect(onCacheError).toHaveBeenCalledTimes(1);
    expect(await twoTier<string>().get(ns.key('k'), async () => 'loaded again')).toBe('loaded');
  });

  it('refuses a value the codec cannot store, at the write, with its TypeError: set() writes nothing, get() caches nothing', async () => {
    const picky = { name: 'picky', encode: (value: unknown) => { if (value === 'bad') throw new TypeError('picky codec: cannot store "bad"'); return jsonCodec.encode(value); }, decode: jsonCodec.decode };
    const cache = twoTier<string>({ codec: picky });
    await cache.get(ns.key('k'), async () => 'good');
    await expect(cache.set(ns.key('k'), 'bad')).rejects.toBeInstanceOf(TypeError);
    expect(jsonCodec.decode((await ns.redis.getBuffer(ns.key('k')))!)).toBe('good');
    await expect(cache.get(ns.key('other'), async () => 'bad')).rejects.toBeInstanceOf(TypeError);
    expect(await ns.redis.exists(ns.key('other'))).toBe(0);
  });
});

describe('TwoTierCache, in depth: failures and callbacks', () => {
  it('reports each failure when Redis is down: the read and the lease of a miss, the write of a set, the UNLINK of a delete', async () => {
    const errors: unknown[] = []; // (its onCacheError returns a number: what a listener returns means nothing)
    const cache = twoTier<string>({ redis: failing(ns.redis) as Redis, onCacheError: (error) => errors.push(error) });
    expect(await cache.get(ns.key('k'), async () => 'v')).toBe('v');
    expect(errors).toHaveLength(2);
    expect(await cache.get(ns.key('k'), async () => 'loader')).toBe('v');
    await cache.set(ns.key('k'), 'w');
    expect(errors).toHaveLength(3);
    await cache.delete(ns.key('k'));
    expect(errors).toHaveLength(4);
  });

  it('drops its L1 entry on set() and delete() even when an onCacheError throws: L1 never outlives a write', async () => {
    const cache = twoTier<string>({
      redis: failing(ns.redis, 'unlink', 'set') as Redis,
      onCacheError: () => {
        throw new Error('a listener with a bug');
      },
    });
    await ns.redis.set(ns.key('k'), jsonCodec.encode('v'));
    for (const write of [() => cache.set(ns.key('k'), 'w'), () => cache.delete(ns.key('k'))]) {
      await cache.get(ns.key('k'), async () => 'loader');
      expect(cache.hasL1(ns.key('k'))).toBe(true);
      await expect(write()).rejects.toThrow('a listener with a bug');
      expect(cache.hasL1(ns.key('k'))).toBe(false);
    }
  });

  it('announces after L2 and L1: an announce that throws at once is reported like one that rejects', async () => {
    const onCacheError = vi.fn();
    const cache = twoTier<string>({
      announce: () => {
        throw new Error('no bus');
      },
      onCacheError,
    });
    await expect(cache.set(ns.key('k'), 'v')).resolves.toBeUndefined();
    await expect(cache.delete(ns.key('k'))).resolves.toBeUndefined();
    expect(onCacheError).toHaveBeenCalledTimes(2);
  });

  it('refuses an empty key with the exact messages, naming the method', async () => {
    const cache = twoTier<string>();
    await expect(cache.get('', async () => 'v')).rejects.toThrow(/^TwoTierCache\.get: the key must be a non-empty string/);
    await expect(cache.set('', 'v')).rejects.toThrow(/^TwoTierCache\.set: the key/);
    await expect(cache.delete('')).rejects.toThrow(/^TwoTierCache\.delete: the key/);
  });
});
