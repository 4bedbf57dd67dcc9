import { describe, expect, it, vi } from 'vitest';
import { VersionedCache } from '@kata/05-invalidation/version.js';
import type { Redis } from 'ioredis';
import { expectRefusal } from '../support/refusal.js';
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

describe('VersionedCache, deeper', () => {
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

  it('reads a version of thirteen digits as it is (a fresh version is Date.now())', async () => {
    const [a] = await twoProcesses();
    await ns.redis.set(ns.key('version'), '1700000000000');
    expect(await a.version()).toBe(1_700_000_000_000);
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
  it('stores nothing when the load throws, passes its error on, and loads again on the next call (a callback that throws keeps every invariant)', async () => {
    const [a] = await twoProcesses();
    await expect(a.getOrLoad('user:1', 60, async () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(await a.get('user:1')).toEqual({ hit: false });
    expect(await a.getOrLoad('user:1', 60, async () => 'Ada')).toBe('Ada');
  });

  it('refuses a bad TTL or an empty key before it loads anything', async () => {
    const [a] = await twoProcesses();
    const load = vi.fn(async () => 'Ada');
    await expectRefusal(() => a.getOrLoad('user:1', 0, load), RangeError, 'ttlSeconds');
    await expectRefusal(() => a.getOrLoad('', 60, load), TypeError, 'key');
    await expectRefusal(() => a.get(''), TypeError, 'key');
    expect(load).not.toHaveBeenCalled();
  });

  it('reads an entry of another type (a LIST) as a miss, loads, and replaces it', async () => {
    const [a] = await twoProcesses();
    await ns.redis.rpush(await a.keyFor('user:1'), 'foreign');
    expect(await a.getOrLoad('user:1', 60, async () => 'Ada')).toBe('Ada');
    expect(await a.get('user:1')).toEqual({ hit: true, value: 'Ada' });
  });

  it('says who refused, and what: the method and the parameter', async () => {
    const [a] = await twoProcesses();
    await expect(a.get('')).rejects.toThrow(/^VersionedCache: the key/);
    await expect(a.getOrLoad('user:1', 0, async () => 1)).rejects.toThrow(/^VersionedCache\.getOrLoad: ttlSeconds/);
  });

  it('serves a cached falsy value from getOrLoad without loading (0 is a hit)', async () => {
    const [a] = await twoProcesses();
    await a.set('count', 0, 60);
    const load = vi.fn(async () => 7);
    expect(await a.getOrLoad('count', 60, load)).toBe(0);
    expect(load).not.toHaveBeenCalled();
  });
});
