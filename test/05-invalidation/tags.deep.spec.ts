import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { TaggedCache } from '@kata/05-invalidation/tags.js';
import { onCluster, useCluster, useRedis } from '../support/redis.js';
import { keysUnder, scanKeys } from './keys.js';

const ns = useRedis();
const cache = () => new TaggedCache(ns.redis, ns.prefix);
const indexOf = (tag: string) => ns.key('tag', tag);
const cluster = useCluster(ns);

/** What each redis.call / redis.pcall in a script passes where a key goes. */
function keysTouched(script: string): string[] {
  return [...script.matchAll(/redis\.p?call\(\s*'[A-Z]+'\s*,\s*([^,)]+\)?)/g)].map(([, key]) => key!.trim());
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('TaggedCache, deeper', () => {
  it('writes all or nothing: an index key holding another type is healed, and the entry is always findable by its tag', async () => {
    const c = cache();
    await ns.redis.set(indexOf('sale'), 'a string someone wrote');
    await c.setWithTags('p1', 1, ['sale', 'products'], 60);
    expect(await c.get('p1')).toEqual({ hit: true, value: 1 });
    expect(await c.invalidateTag('sale')).toBe(1);
    expect(await c.get('p1')).toEqual({ hit: false });
  });

  it('invalidating a tag whose index holds another type removes nothing of ours, deletes the foreign key, and is not an error', async () => {
    const c = cache();
    await c.setWithTags('p1', 1, ['products'], 60);
    await ns.redis.rpush(indexOf('sale'), 'not', 'an', 'index');
    await expect(c.invalidateTag('sale')).resolves.toBe(0);
    expect(await ns.redis.exists(indexOf('sale'))).toBe(0);
    expect(await c.get('p1')).toEqual({ hit: true, value: 1 });
  });

  it('reads an entry that holds another type as a miss and heals it', async () => {
    const c = cache();
    await ns.redis.rpush(ns.key('entry', 'p1'), 'foreign');
    expect(await c.get('p1')).toEqual({ hit: false });
    await c.setWithTags('p1', 'lamp', ['products'], 60);
    expect(await c.get('p1')).toEqual({ hit: true, value: 'lamp' });
  });

  it('refuses what JSON would store as something else (a Map as {}, NaN as null, a Date as a string), naming the key', async () => {
    const c = cache();
    await expect(c.setWithTags('p1', new Map([['a', 1]]), ['t'], 60)).rejects.toThrow(/setWithTags\(p1\).*Map/);
    await expect(c.setWithTags('p1', { price: Number.NaN }, ['t'], 60)).rejects.toThrow(TypeError);
    await expect(c.setWithTags('p1', { at: new Date() }, ['t'], 60)).rejects.toThrow(TypeError);
    expect(await scanKeys(ns.redis, `${ns.prefix}*`)).toEqual([]);
  });

  it('refuses an empty key, an empty tag among others, tags that are not an array, and a TTL Redis cannot store, writing nothing', async () => {
    const c = cache();
    await expect(c.setWithTags('', 1, ['t'], 60)).rejects.toThrow(/setWithTags: the key/);
    await expect(c.setWithTags('a', 1, ['a', ''], 60)).rejects.toThrow(/a tag/);
    await expect(c.setWithTags('a', 1, 'products' as unknown as string[], 60)).rejects.toThrow(/tags must be an array/);
    await expect(c.setWithTags('a', 1, ['t'], 1e20)).rejects.toThrow(/^setWithTags: ttlSeconds/);
    await expect(c.get('')).rejects.toThrow(/^TaggedCache\.get: the key/);
    await expect(c.invalidateTag('')).rejects.toThrow(/^invalidateTag: the tag/);
    expect(await scanKeys(ns.redis, `${ns.prefix}*`)).toEqual([]);
  });

  it('takes a TTL of exactly 1 and no tags at all', async () => {
    const c = cache();
    await c.setWithTags('p1', 1, [], 1);
    expect(await c.get('p1')).toEqual({ hit: true, value: 1 });
    expect(await ns.redis.pttl(ns.key('entry', 'p1'))).toBeGreaterThan(0);
  });

  it('refuses a clock that does not read whole milliseconds before writing (PEXPIRE would fail halfway through the script)', async () => {
    const c = new TaggedCache(ns.redis, ns.prefix, { now: () => 1.5 });
    await expect(c.setWithTags('p1', 1, ['t'], 60)).rejects.toThrow(/clock .*got 1\.5/);
    expect(await scanKeys(ns.redis, `${ns.prefix}*`)).toEqual([]);
  });

  it('invalidates a tag of 1,200 entries (500 keys to a script: Lua has a limit on unpack)', async () => {
    const c = cache();
    await c.setWithTags('p0', 0, ['big'], 60);
    const expiry = Date.now() + 60_000;
    const bulk = ns.redis.pipeline(); // the same layout setWithTags writes, without 1,200 script runs
    for (let i = 1; i < 1_200; i++) bulk.set(ns.key('entry', `p${i}`), String(i), 'EX', 60).zadd(indexOf('big'), expiry, ns.key('entry', `p${i}`));
    await bulk.exec();
    const evalSpy = vi.spyOn(ns.redis, 'eval');
    expect(await c.invalidateTag('big')).toBe(1_200);
    const keysPerScript = evalSpy.mock.calls.map(([, numkeys]) => Number(numkeys));
    expect(Math.max(...keysPerScript)).toBeLessThanOrEqual(1 + 500); // the index and at most 500 members
    expect(await scanKeys(ns.redis, `${ns.prefix}*`)).toEqual([]);
  });

  it('leaves nothing written when the clock throws, and works with the next clock reading (a callback that throws keeps every invariant)', async () => {
    let broken = true;
    const c = new TaggedCache(ns.redis, ns.prefix, {
      now: () => {
        if (broken) throw new Error('clock broke');
        return Date.now();
      },
    });
    await expect(c.setWithTags('p1', 1, ['t'], 60)).rejects.toThrow('clock broke');
    expect(await keysUnder(ns.redis, ns.prefix)).toEqual([]);
    broken = false;
    await c.setWithTags('p1', 1, ['t'], 60);
    expect(await c.invalidateTag('t')).toBe(1);
  });

  it('runs a script that touches only the keys it declares in KEYS (the entry and its indexes), as Redis requires and a cluster enforces', async () => {
    const evalSpy = vi.spyOn(ns.redis, 'eval');
    await cache().setWithTags('p1', 1, ['a', 'b', 'a'], 60);
    const [, numkeys, ...rest] = evalSpy.mock.calls[0] as unknown as [string, number, ...string[]];
    expect(numkeys).toBe(3);
    expect(rest.slice(0, 3)).toEqual([ns.key('entry', 'p1'), indexOf('a'), indexOf('b')]);
    expect((await keysUnder(ns.redis, ns.prefix)).sort()).toEqual(['entry:p1', 'tag:a', 'tag:b']);
  });

  it('sends scripts whose every command names its key through KEYS, never a key it read or built', async () => {
    const c = cache();
    const evalSpy = vi.spyOn(ns.redis, 'eval');
    await c.setWithTags('p1', 1, ['a', 'b'], 60);
    await c.invalidateTag('a');
    const scripts = evalSpy.mock.calls.map(([script]) => String(script));
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    for (const script of scripts) for (const key of keysTouched(script)) expect(key, script).toMatch(/^(KEYS\[\w+\]|unpack\(KEYS)/);
  });

  onCluster()('works on a Redis Cluster when its prefix carries a hash tag (without one, the cluster refuses the script: CROSSSLOT)', async () => {
    const tagged = new TaggedCache(cluster.cluster as never, `${ns.prefix}{tags}:`);
    await tagged.setWithTags('p1', 1, ['products', 'home'], 60);
    expect(await tagged.invalidateTag('home')).toBe(1);
    expect(await tagged.get('p1')).toEqual({ hit: false });
    await expect(new TaggedCache(cluster.cluster as never, ns.prefix).setWithTags('p1', 1, ['products'], 60)).rejects.toThrow(/CROSSSLOT/);
  });

  it('invalidates in two steps: it reads the index, then gives a script exactly the keys it read (a script may not UNLINK a key it was not given)', async () => {
    const c = cache();
    await c.setWithTags('p1', 1, ['t'], 60);
    await c.setWithTags('p2', 2, ['t'], 60);
    const evalSpy = vi.spyOn(ns.redis, 'eval');
    expect(await c.invalidateTag('t')).toBe(2);
    const [, numkeys, ...keys] = evalSpy.mock.calls[0] as unknown as [string, number, ...string[]];
    expect(numkeys).toBe(3);
    expect(keys.slice(0, 3).sort()).toEqual([ns.key('entry', 'p1'), ns.key('entry', 'p2'), indexOf('t')].sort());
  });

  it('keeps an entry written with the tag between the read of the index and the removal, and its place in the index', async () => {
    const c = cache();
    await c.setWithTags('old', 1, ['t'], 60);
    const racing: Redis = new Proxy(ns.redis, {
      get(target, property) {
        if (property === 'zrange') {
          return async (...args: Parameters<Redis['zrange']>) => {
            const members = await target.zrange(...args);
            await c.setWithTags('new', 2, ['t'], 60); // lands after the read, before the removal
            return members;
          };
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    expect(await new TaggedCache(racing, ns.prefix).invalidateTag('t')).toBe(1);
    expect(await c.get('old')).toEqual({ hit: false });
    expect(await c.get('new')).toEqual({ hit: true, value: 2 });
    expect(await c.invalidateTag('t')).toBe(1);
  });

  it('takes glob characters in keys and tags as literals: invalidating tag "*" removes only the entries of tag "*"', async () => {
    const c = cache();
    await c.setWithTags('p[1]', 1, ['*'], 60);
    await c.setWithTags('p?', 2, ['products'], 60);
    expect(await c.invalidateTag('*')).toBe(1);
    expect(await c.get('p[1]')).toEqual({ hit: false });
    expect(await c.get('p?')).toEqual({ hit: true, value: 2 });
  });

  it('passes a Redis that fails on to the caller, and removes nothing', async () => {
    const c = cache();
    await c.setWithTags('p1', 1, ['t'], 60);
    vi.spyOn(ns.redis, 'zrange').mockRejectedValueOnce(new Error('Connection is closed.'));
    await expect(c.invalidateTag('t')).rejects.toThrow('Connection is closed.');
    expect(await c.get('p1')).toEqual({ hit: true, value: 1 });
  });
});
