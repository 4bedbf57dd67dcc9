import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { ShapedCache } from '@kata/09-advanced-techniques/rolling-deploy.js';
import { useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';

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

describe('ShapedCache (a rolling deploy: two releases, two shapes, one Redis)', () => {
  it('reads back its own shape as written, and a cached 0, \'\' or null is a hit', async () => {
    const { next } = await rollingDeploy();
    await next.set('user:1', ada2, 60);
    expect(await next.get('user:1')).toEqual({ hit: true, value: ada2 });
    const anything = new ShapedCache<unknown>(ns.redis, ns.prefix, { shape: 1 });
    for (const falsy of [0, '', null, false]) {
      await anything.set('falsy', falsy, 60);
      expect(await anything.get('falsy')).toEqual({ hit: true, value: falsy });
    }
    expect(await next.get('nobody')).toEqual({ hit: false });
  });

  it('keeps one key per id in every release (a version in the key gives each release its own copy)', async () => {
    const { previous, next } = await rollingDeploy();
    expect(previous.keyFor('user:1')).toBe(next.keyFor('user:1'));
  });

  it('lets the next release read what the previous one cached, upgraded to its shape: no cold cache on deploy', async () => {
    const { previous, next } = await rollingDeploy();
    await previous.set('user:1', ada1, 60);
    expect(await next.get('user:1')).toEqual({ hit: true, value: ada2 });
  });

  it('makes an update handled by the previous release visible to the next one (the old release\'s delete reaches the copy both read)', async () => {
    const { previous, next } = await rollingDeploy();
    await next.set('user:1', ada2, 60);
    await previous.delete('user:1'); // invalidate-on-write, in a process still on release 1
    expect(await next.get('user:1')).toEqual({ hit: false });
  });

  it('makes an update handled by the next release visible to the previous one', async () => {
    const { previous, next } = await rollingDeploy();
    await previous.set('user:1', ada1, 60);
    await next.delete('user:1');
    expect(await previous.get('user:1')).toEqual({ hit: false });
  });

  it('is a miss for the previous release on a newer shape, which it leaves in place for the next release', async () => {
    const { previous, next } = await rollingDeploy();
    await next.set('user:1', ada2, 60);
    expect(await previous.get('user:1')).toEqual({ hit: false });
    expect(await next.get('user:1')).toEqual({ hit: true, value: ada2 });
  });

  it('upgrades one step at a time across several releases (1 to 2 to 3)', async () => {
    const { previous } = await rollingDeploy();
    const third = new ShapedCache<UserV3>(ns.redis, ns.prefix, { shape: 3, upgrades: { 1: splitName, 2: addDisplayName } });
    await previous.set('user:1', ada1, 60);
    expect(await third.get('user:1')).toEqual({ hit: true, value: { ...ada2, displayName: 'Ada Lovelace' } });
  });

  it('is a miss, never a crash, when an upgrade is missing, throws on what it finds or returns nothing', async () => {
    const { previous } = await rollingDeploy();
    await previous.set('user:1', ada1, 60);
    const noUpgrade = new ShapedCache<UserV2>(ns.redis, ns.prefix, { shape: 2 });
    expect(await noUpgrade.get('user:1')).toEqual({ hit: false });
    const throwing = new ShapedCache<UserV2>(ns.redis, ns.prefix, {
      shape: 2,
      upgrades: {
        1: () => {
          throw new Error('cannot read this');
        },
      },
    });
    expect(await throwing.get('user:1')).toEqual({ hit: false });
    const forgetful = new ShapedCache<UserV2>(ns.redis, ns.prefix, { shape: 2, upgrades: { 1: () => undefined } });
    expect(await forgetful.get('user:1')).toEqual({ hit: false });
  });

  it('is a miss, and removes the key, for a value with no shape at all (written before shapes, or by someone else)', async () => {
    const { next } = await rollingDeploy();
    for (const foreign of [JSON.stringify(ada1), JSON.stringify({ shape: 'two', value: ada2 }), JSON.stringify({ shape: 0, value: 1 }), JSON.stringify({ shape: 2 }), 'null', '42', '"a string"', 'not json']) {
      await ns.redis.set(next.keyFor('user:1'), foreign);
      expect(await next.get('user:1'), foreign).toEqual({ hit: false });
      expect(await ns.redis.exists(next.keyFor('user:1'))).toBe(0);
    }
  });

  it('refuses a shape that is not a positive integer (RangeError), an id that is not a non-empty string and an undefined value (TypeError)', async () => {
    await expectRefusal(() => new ShapedCache(ns.redis, ns.prefix, { shape: 0 }), RangeError, 'shape');
    await expectRefusal(() => new ShapedCache(ns.redis, ns.prefix, { shape: 1.5 }), RangeError, 'shape');
    const { next } = await rollingDeploy();
    await expectRefusal(() => next.get(''), TypeError, 'id');
    await expectRefusal(() => next.set('user:1', undefined as unknown as UserV2, 60), TypeError, 'value');
    expect(await ns.redis.exists(next.keyFor('user:1'))).toBe(0);
  });
});
