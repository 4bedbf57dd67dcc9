import { describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { RedisTier, type RedisTierOptions } from '@kata/11-two-tiers/redis-tier.js';
import { jsonCodec, msgpackCodec } from '../../provided/codecs.js';
import { MAX_TTL_SECONDS } from '../../provided/json-cache.js';
import { useRedis } from '../support/redis.js';
import { failing } from '../04-caching-patterns/helpers.js';
import { deferred } from '../10-stampede/deferred.js';

const ns = useRedis();

function tier<T>(options: Partial<RedisTierOptions> = {}) {
  return new RedisTier<T>({ redis: ns.redis, l2TtlSeconds: 60, ...options });
}

function heldLoad<T>() {
  const result = deferred<T>();
  const load = vi.fn(() => result.promise);
  return { load, finish: (value: T) => result.resolve(value), started: () => vi.waitFor(() => expect(load).toHaveBeenCalled(), { timeout: 1_000, interval: 1 }) };
}

describe('RedisTier, in depth: the lease', () => {
  it('holds a lease on <key>:lock while it loads, and gives it back after, also when the load fails', async () => {
    const { load, finish, started } = heldLoad<string>();
    const filling = tier<string>().fill(ns.key('k'), load);
    await started();
    expect(await ns.redis.exists(ns.key('k:lock'))).toBe(1);
    finish('v');
    await filling;
    expect(await ns.redis.exists(ns.key('k:lock'))).toBe(0);
    await expect(tier<string>().fill(ns.key('bad'), async () => Promise.reject(new Error('db')))).rejects.toThrow('db');
    expect(await ns.redis.exists(ns.key('bad:lock'))).toBe(0);
  });

  it('loads without writing when another load holds the lease (another instance): it answers, the holder fills', async () => {
    await ns.redis.set(ns.key('k:lock'), 'another instance', 'PX', 60_000);
    expect(await tier<string>().fill(ns.key('k'), async () => 'mine')).toBe('mine');
    expect(await ns.redis.exists(ns.key('k'))).toBe(0);
    expect(await ns.redis.get(ns.key('k:lock'))).toBe('another instance');
  });

  it('does not write a load that outlived its lease (leaseMs): it stalled past it, and the newer value stays', async () => {
    const { load, finish, started } = heldLoad<string>();
    const filling = tier<string>({ leaseMs: 1 }).fill(ns.key('k'), load);
    await started();
    await vi.waitFor(async () => expect(await ns.redis.exists(ns.key('k:lock'))).toBe(0), { timeout: 1_000, interval: 2 });
    await tier<string>().fill(ns.key('k'), async () => 'new'); // the next load takes the lease and writes
    finish('old');
    await filling;
    expect(await tier<string>().read(ns.key('k'))).toEqual({ value: 'new' });
  });

  it('answers a load when Redis is down, reporting the lease it could not take, writing nothing (whatever onCacheError returns)', async () => {
    const onCacheError = vi.fn(() => 'a truthy value, which is no lease');
    expect(await tier<string>({ redis: failing(ns.redis) as Redis, onCacheError }).fill(ns.key('k'), async () => 'db')).toBe('db');
    expect(onCacheError).toHaveBeenCalledTimes(1);
  });

  it('reports a fenced write and a release that Redis fails (EVAL), and still answers the value', async () => {
    const onCacheError = vi.fn();
    expect(await tier<string>({ redis: failing(ns.redis, 'eval') as Redis, onCacheError }).fill(ns.key('k'), async () => 'v')).toBe('v');
    expect(onCacheError).toHaveBeenCalledTimes(2);
  });
});

describe('RedisTier, in depth: values exactly, or refused', () => {
  it.each([
    ['a Date', new Date('2024-01-02T03:04:05Z')],
    ['a Map', new Map([['a', 1]])],
    ['a Set', new Set([1, 2])],
    ['a BigInt', 12345678901234567890n],
    ['undefined', undefined],
    ['nested', { list: [1, { deep: null }], when: new Date(0) }],
  ])('comes back exactly through the default codec: %s', async (_name, value) => {
    const l2 = tier<unknown>();
    await l2.write(ns.key('k'), value);
    expect(await l2.read(ns.key('k'))).toEqual({ value });
    await l2.fill(ns.key('f'), async () => value);
    expect(await l2.read(ns.key('f'))).toEqual({ value });
  });

  it('stores exactly the codec\'s bytes, and uses the codec it was given', async () => {
    await tier<string>({ codec: msgpackCodec }).write(ns.key('k'), 'v');
    expect((await ns.redis.getBuffer(ns.key('k')))!.equals(msgpackCodec.encode('v'))).toBe(true);
    expect(await tier<string>({ codec: msgpackCodec }).read(ns.key('k'))).toEqual({ value: 'v' });
    expect(await tier<string>({ codec: jsonCodec, onCacheError: () => {} }).read(ns.key('k'))).toBeUndefined();
  });

  it('refuses a value the codec cannot store at write time, with its TypeError, before Redis is touched', async () => {
    const refuses = { name: 'picky', encode: () => { throw new TypeError('picky codec: cannot store this'); }, decode: jsonCodec.decode };
    const l2 = tier<string>({ codec: refuses });
    await ns.redis.set(ns.key('k'), jsonCodec.encode('before'));
    await expect(l2.write(ns.key('k'), 'v')).rejects.toBeInstanceOf(TypeError);
    expect(jsonCodec.decode((await ns.redis.getBuffer(ns.key('k')))!)).toBe('before');
    await expect(l2.fill(ns.key('f'), async () => 'v')).rejects.toBeInstanceOf(TypeError);
    expect(await ns.redis.exists(ns.key('f'), ns.key('f:lock'))).toBe(0); // nothing written, the lease given back
  });

  it('accepts the longest TTL the kata allows, and refuses 0 with the exact message', () => {
    expect(() => tier({ l2TtlSeconds: MAX_TTL_SECONDS })).not.toThrow();
    expect(() => tier({ l2TtlSeconds: 0 })).toThrow(/^TwoTierCache l2TtlSeconds: ttlSeconds must be a whole number of seconds/);
  });
});

describe('RedisTier, in depth: write and remove', () => {
  it('write() takes the lease of a load in flight before it writes, remove() too, so the load cannot write over them', async () => {
    await ns.redis.set(ns.key('k:lock'), 'a load in flight', 'PX', 60_000);
    await tier<string>().write(ns.key('k'), 'v');
    expect(await ns.redis.exists(ns.key('k:lock'))).toBe(0);
    await ns.redis.set(ns.key('k:lock'), 'another load', 'PX', 60_000);
    await tier<string>().remove(ns.key('k'));
    expect(await ns.redis.exists(ns.key('k'), ns.key('k:lock'))).toBe(0);
  });

  it('replaces a key of another type on write()', async () => {
    await ns.redis.rpush(ns.key('k'), 'x');
    await tier<string>().write(ns.key('k'), 'v');
    expect(await tier<string>().read(ns.key('k'))).toEqual({ value: 'v' });
  });
});
