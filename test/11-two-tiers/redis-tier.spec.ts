import { describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { RedisTier, type RedisTierOptions } from '@kata/11-two-tiers/redis-tier.js';
import { CodecError, jsonCodec } from '../../provided/codecs.js';
import { useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';
import { failing } from '../04-caching-patterns/helpers.js';
import { deferred } from '../10-stampede/deferred.js';

const ns = useRedis();

function tier<T>(options: Partial<RedisTierOptions> = {}) {
  return new RedisTier<T>({ redis: ns.redis, l2TtlSeconds: 60, ...options });
}

/** A load the spec finishes when it wants, and a way to know it has started. */
function heldLoad<T>() {
  const result = deferred<T>();
  const load = vi.fn(() => result.promise);
  return { load, finish: (value: T) => result.resolve(value), started: () => vi.waitFor(() => expect(load).toHaveBeenCalled(), { timeout: 1_000, interval: 1 }) };
}

describe('RedisTier.read: a value, or a miss', () => {
  it('answers undefined for a missing key (a plain miss, no error), and a box with the value for one it wrote (through the codec: a Date stays a Date)', async () => {
    const onCacheError = vi.fn();
    const l2 = tier<{ at: Date }>({ onCacheError });
    expect(await l2.read(ns.key('k'))).toBeUndefined();
    expect(onCacheError).not.toHaveBeenCalled();
    const at = new Date('2024-01-02T03:04:05Z');
    await l2.write(ns.key('k'), { at });
    expect(await l2.read(ns.key('k'))).toEqual({ value: { at } });
  });

  it('reads what it cannot read as a miss, and reports it: Redis down, bytes its codec did not write, a list under the key', async () => {
    const errors: unknown[] = [];
    const onCacheError = (error: unknown) => void errors.push(error);
    expect(await tier({ redis: failing(ns.redis), onCacheError }).read(ns.key('a'))).toBeUndefined();
    await ns.redis.set(ns.key('b'), 'plain text from another app');
    expect(await tier({ onCacheError }).read(ns.key('b'))).toBeUndefined();
    await ns.redis.rpush(ns.key('c'), 'x');
    expect(await tier({ onCacheError }).read(ns.key('c'))).toBeUndefined();
    expect(errors).toHaveLength(3);
    expect(errors[1]).toBeInstanceOf(CodecError);
  });
});

describe('RedisTier.fill: a load, and its write, unless something newer came meanwhile', () => {
  it('loads, writes the value through the codec with the L2 TTL, and answers it', async () => {
    const l2 = tier<string>({ l2TtlSeconds: 42 });
    expect(await l2.fill(ns.key('k'), async () => 'loaded')).toBe('loaded');
    expect(jsonCodec.decode((await ns.redis.getBuffer(ns.key('k')))!)).toBe('loaded');
    const ttl = await ns.redis.ttl(ns.key('k'));
    expect(ttl).toBeGreaterThan(40);
    expect(ttl).toBeLessThanOrEqual(42);
  });

  it('does not undo a write() made while it loaded: the newer value stays in Redis', async () => {
    const l2 = tier<string>();
    const { load, finish, started } = heldLoad<string>();
    const filling = l2.fill(ns.key('k'), load); // read the database before the update...
    await started();
    await tier<string>().write(ns.key('k'), 'new'); // ... the update is written (by any instance) ...
    finish('old'); // ... and the old answer arrives last
    expect(await filling).toBe('old'); // its caller asked before the change: a fair answer
    expect(await tier<string>().read(ns.key('k'))).toEqual({ value: 'new' });
  });

  it('does not undo a remove() made while it loaded: nothing is written back', async () => {
    const l2 = tier<string>();
    const { load, finish, started } = heldLoad<string>();
    const filling = l2.fill(ns.key('k'), load);
    await started();
    await tier<string>().remove(ns.key('k')); // the database row was deleted after the load read it
    finish('old');
    expect(await filling).toBe('old');
    expect(await ns.redis.exists(ns.key('k'))).toBe(0);
  });

  it('heals what it could not read: bytes of another codec, a list, are replaced by the value it loaded', async () => {
    await ns.redis.set(ns.key('a'), 'plain text from another app');
    await ns.redis.rpush(ns.key('b'), 'x');
    for (const key of [ns.key('a'), ns.key('b')]) {
      const l2 = tier<string>();
      expect(await l2.read(key)).toBeUndefined();
      await l2.fill(key, async () => 'mine');
      expect(await l2.read(key)).toEqual({ value: 'mine' });
    }
  });

  it('passes a failed load to its caller and writes nothing', async () => {
    const down = new Error('database down');
    await expect(tier<string>().fill(ns.key('k'), async () => Promise.reject(down))).rejects.toBe(down);
    expect(await ns.redis.exists(ns.key('k'))).toBe(0);
  });
});

describe('RedisTier.write and remove', () => {
  it('write() stores the value with the L2 TTL; remove() deletes it', async () => {
    const l2 = tier<number>();
    await l2.write(ns.key('k'), 0);
    expect(await l2.read(ns.key('k'))).toEqual({ value: 0 });
    expect(await ns.redis.ttl(ns.key('k'))).toBeGreaterThan(0);
    await l2.remove(ns.key('k'));
    expect(await l2.read(ns.key('k'))).toBeUndefined();
  });

  it('reports a write or a remove that Redis fails, instead of throwing it', async () => {
    const onCacheError = vi.fn();
    const l2 = tier<string>({ redis: failing(ns.redis) as Redis, onCacheError });
    await expect(l2.write(ns.key('k'), 'v')).resolves.toBeUndefined();
    await expect(l2.remove(ns.key('k'))).resolves.toBeUndefined();
    expect(onCacheError).toHaveBeenCalledTimes(2);
  });

  it('refuses an L2 TTL Redis would refuse, with a RangeError naming l2TtlSeconds', async () => {
    await expectRefusal(() => tier({ l2TtlSeconds: 0 }), RangeError, 'l2TtlSeconds');
  });
});
