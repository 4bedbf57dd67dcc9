import { describe, expect, it } from 'vitest';
import { VersionedCache } from '@kata/05-invalidation/version.js';
import type { Redis } from 'ioredis';
import { useRedis } from '../support/redis.js';

/** The same client, except that `command` fails as it does while Redis is down. */
function failingOn(redis: Redis, command: string): Redis {
  return new Proxy(redis, {
    get(target, property) {
      if (property === command) return () => Promise.reject(new Error('Connection is closed.'));
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const ns = useRedis();

/** Two application processes: each has its own connection and its own VersionedCache. */
async function twoProcesses(): Promise<[VersionedCache, VersionedCache]> {
  return [new VersionedCache(ns.redis, ns.prefix), new VersionedCache(await ns.connect(), ns.prefix)];
}

describe('VersionedCache (by version, source 9.1)', () => {
  it('reads back what it stored under the current version', async () => {
    const [a] = await twoProcesses();
    await a.set('user:1', { name: 'Ada' }, 60);
    expect(await a.get('user:1')).toEqual({ hit: true, value: { name: 'Ada' } });
  });

  it('makes every entry a miss after invalidateAll', async () => {
    const [a] = await twoProcesses();
    await a.set('user:1', { name: 'Ada' }, 60);
    await a.set('user:2', { name: 'Grace' }, 60);
    await a.invalidateAll();
    expect(await a.get('user:1')).toEqual({ hit: false });
    expect(await a.get('user:2')).toEqual({ hit: false });
  });

  it('shows a bump to every process at once (the source\'s global CACHE_VERSION changes in one process only)', async () => {
    const [a, b] = await twoProcesses();
    await a.set('user:1', { name: 'Ada' }, 60);
    expect(await b.get('user:1')).toEqual({ hit: true, value: { name: 'Ada' } });
    await a.invalidateAll();
    expect(await b.get('user:1')).toEqual({ hit: false });
  });

  it('lets every process read what another wrote after the bump', async () => {
    const [a, b] = await twoProcesses();
    await a.invalidateAll();
    await b.set('user:1', { name: 'Ada, updated' }, 60);
    expect(await a.get('user:1')).toEqual({ hit: true, value: { name: 'Ada, updated' } });
  });

  it('agrees on the version number in every process, and each bump returns the new one', async () => {
    const [a, b] = await twoProcesses();
    const before = await a.version();
    expect(await b.invalidateAll()).toBe(before + 1);
    expect(await a.version()).toBe(before + 1);
    expect(await b.version()).toBe(before + 1);
  });

  it('deletes nothing on a bump: the old version\'s entries stay until their own TTL ends', async () => {
    const [a] = await twoProcesses();
    await a.set('user:1', { name: 'Ada' }, 60);
    const oldKey = await a.keyFor('user:1');
    await a.invalidateAll();
    expect(await a.keyFor('user:1')).not.toBe(oldKey);
    expect(await ns.redis.ttl(oldKey)).toBeGreaterThan(0);
  });

  it('keeps the version under its prefix, so two caches with different prefixes bump separately', async () => {
    const users = new VersionedCache(ns.redis, ns.key('users') + ':');
    const products = new VersionedCache(ns.redis, ns.key('products') + ':');
    await users.set('1', 'Ada', 60);
    await products.set('1', 'lamp', 60);
    await users.invalidateAll();
    expect(await users.get('1')).toEqual({ hit: false });
    expect(await products.get('1')).toEqual({ hit: true, value: 'lamp' });
  });

  it('heals a version key someone overwrote with a string that is not a number: every entry is a miss, and bumps work again', async () => {
    const [a, b] = await twoProcesses();
    await a.set('user:1', 'Ada', 60);
    await ns.redis.set(ns.key('version'), 'not a number');
    expect(await b.get('user:1')).toEqual({ hit: false });
    await b.set('user:1', 'Ada again', 60);
    expect(await a.get('user:1')).toEqual({ hit: true, value: 'Ada again' });
    const before = await a.version();
    expect(await a.invalidateAll()).toBe(before + 1);
  });

  it('heals a version key of another type (a LIST: GET and INCR answer WRONGTYPE)', async () => {
    const [a] = await twoProcesses();
    await a.set('user:1', 'Ada', 60);
    await ns.redis.rpush(ns.key('version'), '7');
    expect(await a.get('user:1')).toEqual({ hit: false });
    await ns.redis.del(ns.key('version'));
    await ns.redis.rpush(ns.key('version'), '7');
    const bumped = await a.invalidateAll();
    expect(await a.version()).toBe(bumped);
    expect(bumped).toBeGreaterThan(1);
  });

  it('heals a version INCR cannot add to, and starts past every version counted before', async () => {
    const [a] = await twoProcesses();
    await a.invalidateAll();
    await a.set('user:1', 'Ada', 60);
    await ns.redis.set(ns.key('version'), '1.5');
    const bumped = await a.invalidateAll();
    expect(bumped).toBeGreaterThan(1);
    expect(await a.version()).toBe(bumped);
    expect(await a.get('user:1')).toEqual({ hit: false });
  });

  it('heals a version with digits and more ("12abc", "abc12"): a fresh number, not NaN', async () => {
    for (const raw of ['12abc', 'abc12']) {
      const [a] = await twoProcesses();
      await ns.redis.set(ns.key('version'), raw);
      const version = await a.version();
      expect(Number.isSafeInteger(version)).toBe(true);
      expect(version).toBeGreaterThan(12);
    }
  });

  it('passes a Redis that is down on to the caller (a failed GET or INCR is not a foreign version), and writes no new version', async () => {
    const [a] = await twoProcesses();
    await a.invalidateAll();
    await expect(new VersionedCache(failingOn(ns.redis, 'get'), ns.prefix).version()).rejects.toThrow('Connection is closed.');
    await expect(new VersionedCache(failingOn(ns.redis, 'incr'), ns.prefix).invalidateAll()).rejects.toThrow('Connection is closed.');
    expect(await a.version()).toBe(1);
  });
});
