import { describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { getJson, setJson } from '@kata/03-redis-caching/json-cache.js';
import { MAX_TTL_SECONDS } from '../../provided/checks.js';
import { useRedis } from '../support/redis.js';

describe('getJson / setJson (source 3.2)', () => {
  const ns = useRedis();

  it('refuses a circular object with a TypeError that says so, and writes nothing', async () => {
    const user: Record<string, unknown> = { id: 1 };
    user.self = user;
    await expect(setJson(ns.redis, ns.key('user', 1), user, 60)).rejects.toThrow(/circular/i);
    expect(await ns.redis.exists(ns.key('user', 1))).toBe(0);
  });

  it('refuses NaN, Infinity and -Infinity anywhere in the value (JSON would read them back as null)', async () => {
    for (const value of [Number.NaN, { score: Number.NaN }, { score: Infinity }, [1, -Infinity]]) {
      await expect(setJson(ns.redis, ns.key('score'), value, 60)).rejects.toThrow(TypeError);
    }
    await expect(setJson(ns.redis, ns.key('score'), { score: Number.NaN }, 60)).rejects.toThrow(/"score" is NaN/);
    await expect(setJson(ns.redis, ns.key('score'), Number.NaN, 60)).rejects.toThrow(`setJson(${ns.key('score')}): `);
    expect(await ns.redis.exists(ns.key('score'))).toBe(0);
  });

  it('refuses a Date, a class instance and a Buffer (they would come back as a string or a plain object)', async () => {
    class Money {
      constructor(readonly cents: number) {}
    }
    const lossy = [{ at: new Date('2024-05-01T12:00:00Z') }, { price: new Money(100) }, Buffer.from('hi')];
    for (const value of lossy) await expect(setJson(ns.redis, ns.key('x'), value, 60)).rejects.toThrow(TypeError);
    await expect(setJson(ns.redis, ns.key('x'), { price: new Money(1) }, 60)).rejects.toThrow(/"price" is a Money/);
    expect(await ns.redis.exists(ns.key('x'))).toBe(0);
  });

  it('refuses undefined inside an array or an object (JSON would read back null, or drop the field)', async () => {
    await expect(setJson(ns.redis, ns.key('x'), [1, undefined], 60)).rejects.toThrow(TypeError);
    await expect(setJson(ns.redis, ns.key('x'), { nickname: undefined }, 60)).rejects.toThrow(/"nickname" is undefined/);
    expect(await ns.redis.exists(ns.key('x'))).toBe(0);
  });

  it('stores plain data with null, nested arrays and objects without a prototype as it is', async () => {
    const value = { a: [1, [2, null]], b: Object.assign(Object.create(null) as object, { c: 'd' }), e: -1.5 };
    await setJson(ns.redis, ns.key('x'), value, 60);
    expect(await getJson(ns.redis, ns.key('x'))).toEqual({ hit: true, value: { a: [1, [2, null]], b: { c: 'd' }, e: -1.5 } });
  });

  it(`takes a TTL of exactly 1 and of MAX_TTL_SECONDS (${MAX_TTL_SECONDS}: its milliseconds are still a safe integer)`, async () => {
    await setJson(ns.redis, ns.key('short'), 1, 1);
    await setJson(ns.redis, ns.key('long'), 1, MAX_TTL_SECONDS);
    expect(await ns.redis.pttl(ns.key('short'))).toBeGreaterThan(0);
    expect(await ns.redis.ttl(ns.key('long'))).toBeGreaterThan(MAX_TTL_SECONDS - 5);
  });

  it('refuses a TTL Redis cannot store (1e20, MAX_TTL_SECONDS + 1, Infinity) with a RangeError naming ttlSeconds and the value', async () => {
    for (const ttl of [1e20, MAX_TTL_SECONDS + 1, Infinity]) {
      await expect(setJson(ns.redis, ns.key('user', 1), 1, ttl)).rejects.toThrow(RangeError);
    }
    await expect(setJson(ns.redis, ns.key('user', 1), 1, 1e20)).rejects.toThrow(/setJson: ttlSeconds .* got 100000000000000000000/);
    expect(await ns.redis.exists(ns.key('user', 1))).toBe(0);
  });

  it('passes a Redis that is down on to the caller: it is not a miss, and nothing is deleted', async () => {
    const unlink = vi.fn();
    const down = { get: () => Promise.reject(new Error('Connection is closed.')), unlink } as unknown as Redis;
    await expect(getJson(down, 'user:1')).rejects.toThrow('Connection is closed.');
    expect(unlink).not.toHaveBeenCalled();
  });

  it('says which call got the empty key, and what it got', async () => {
    await expect(getJson(ns.redis, '')).rejects.toThrow(/getJson: the key must be a non-empty string, got ""/);
    await expect(setJson(ns.redis, undefined as unknown as string, 1, 60)).rejects.toThrow(/setJson: .*got undefined/);
  });

  it('refuses -0 anywhere in the value, naming where (JSON.stringify(-0) is "0": it would come back as 0)', async () => {
    for (const value of [-0, { balance: -0 }, [1, -0]]) {
      await expect(setJson(ns.redis, ns.key('x'), value, 60)).rejects.toThrow(TypeError);
    }
    await expect(setJson(ns.redis, ns.key('x'), { balance: -0 }, 60)).rejects.toThrow(/"balance" is -0/);
    expect(await ns.redis.exists(ns.key('x'))).toBe(0);
    await setJson(ns.redis, ns.key('x'), { balance: 0 }, 60);
    expect(await getJson(ns.redis, ns.key('x'))).toEqual({ hit: true, value: { balance: 0 } });
  });

  it('round-trips an own "__proto__" key as a key, without touching any prototype', async () => {
    const value = JSON.parse('{"__proto__":{"admin":true},"id":1}') as object;
    await setJson(ns.redis, ns.key('x'), value, 60);
    const read = await getJson<object>(ns.redis, ns.key('x'));
    expect(read.hit && Object.getOwnPropertyNames(read.value)).toEqual(['__proto__', 'id']);
    expect(read.hit && Object.getPrototypeOf(read.value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});
