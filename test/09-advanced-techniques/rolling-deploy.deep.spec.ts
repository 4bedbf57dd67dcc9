import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { ShapedCache } from '@kata/09-advanced-techniques/rolling-deploy.js';
import { onRealRedis, useRedis } from '../support/redis.js';

const ns = useRedis();
/** The connection of the second process: one for the file, as ioredis-mock warns past ten. */
let otherProcess: Redis;
beforeAll(async () => {
  otherProcess = await ns.connect();
});

/** Release 1 cached a user as { id, name }; release 2 splits the name. */
interface UserV1 {
  id: number;
  name: string;
}
interface UserV2 {
  id: number;
  firstName: string;
  lastName: string;
}
interface UserV3 extends UserV2 {
  displayName: string;
}

const splitName = ({ id, name }: UserV1): UserV2 => {
  const [firstName = '', ...rest] = name.split(' ');
  return { id, firstName, lastName: rest.join(' ') };
};
const addDisplayName = (user: UserV2): UserV3 => ({ ...user, displayName: `${user.firstName} ${user.lastName}` });

/** The two releases of a rolling deploy, each a process of its own (own connection), one Redis. */
async function rollingDeploy() {
  const previous = new ShapedCache<UserV1>(ns.redis, ns.prefix, { shape: 1 });
  const next = new ShapedCache<UserV2>(otherProcess, ns.prefix, { shape: 2, upgrades: { 1: splitName } });
  return { previous, next };
}

const ada1: UserV1 = { id: 1, name: 'Ada Lovelace' };
const ada2: UserV2 = { id: 1, firstName: 'Ada', lastName: 'Lovelace' };

describe('ShapedCache, every corner', () => {
  it('writes with the TTL it is given', async () => {
    const { next } = await rollingDeploy();
    await next.set('user:1', ada2, 60);
    const ttl = await ns.redis.ttl(next.keyFor('user:1'));
    expect(ttl).toBeGreaterThan(50);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('refuses a shape that is not a positive integer, an empty id and an undefined value, with an error at the call', async () => {
    for (const shape of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new ShapedCache(ns.redis, ns.prefix, { shape }), String(shape)).toThrow(RangeError);
    }
    const { next } = await rollingDeploy();
    expect(() => next.keyFor('')).toThrow(TypeError);
    expect(() => next.keyFor(42 as unknown as string), 'an id that is no string').toThrow(TypeError);
    await expect(next.set('user:1', undefined as unknown as UserV2, 60)).rejects.toThrow(TypeError);
    expect(await ns.redis.exists(next.keyFor('user:1'))).toBe(0);
  });

  it('names what was wrong, and the bad value, in its errors', async () => {
    expect(() => new ShapedCache(ns.redis, ns.prefix, { shape: 0 })).toThrow(/shape .*got 0/);
    const { next } = await rollingDeploy();
    expect(() => next.keyFor('')).toThrow(/id must be a non-empty string/);
    await expect(next.set('user:1', undefined as unknown as UserV2, 60)).rejects.toThrow(/ShapedCache\.set\(user:1\): undefined/);
  });

  it('sends nothing more than the GET for a miss: no UNLINK of a key that is not there', async () => {
    const sent: string[] = [];
    const watched = new Proxy(ns.redis, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => (sent.push(String(property)), value.apply(target, args));
      },
    });
    const cache = new ShapedCache<UserV2>(watched, ns.prefix, { shape: 2 });
    expect(await cache.get('nobody')).toEqual({ hit: false });
    expect(sent).not.toContain('unlink');
  });

  it('leaves the next release\'s value in place however often the previous release reads it', async () => {
    const { previous, next } = await rollingDeploy();
    await next.set('user:1', ada2, 60);
    for (let i = 0; i < 5; i++) expect(await previous.get('user:1')).toEqual({ hit: false });
    expect(await next.get('user:1')).toEqual({ hit: true, value: ada2 });
  });

  it('reads an envelope whose shape is a number written as a string, or not a whole number, as garbage', async () => {
    const { next } = await rollingDeploy();
    for (const foreign of [{ shape: '2', value: ada2 }, { shape: 1.5, value: ada1 }, { shape: 2 ** 53, value: ada2 }, { value: ada2 }]) {
      await ns.redis.set(next.keyFor('user:1'), JSON.stringify(foreign));
      expect(await next.get('user:1'), JSON.stringify(foreign)).toEqual({ hit: false });
      expect(await ns.redis.exists(next.keyFor('user:1'))).toBe(0);
    }
  });

  onRealRedis('ioredis-mock answers GET on a list with the list, not WRONGTYPE')('reads a key of another type (a list) as a miss, removes it, and the next write replaces it', async () => {
    const { next } = await rollingDeploy();
    await ns.redis.rpush(next.keyFor('user:1'), 'a');
    expect(await next.get('user:1')).toEqual({ hit: false });
    await next.set('user:1', ada2, 60);
    expect(await next.get('user:1')).toEqual({ hit: true, value: ada2 });
  });
});
