import { describe, expect, it } from 'vitest';
import { TaggedCache } from '@kata/05-invalidation/tags.js';
import { useRedis } from '../support/redis.js';
import { scanKeys } from './keys.js';

const ns = useRedis();
const cache = () => new TaggedCache(ns.redis, ns.prefix);
const indexOf = (tag: string) => ns.key('tag', tag);

describe('TaggedCache (by tag)', () => {
  it('invalidateTag removes every entry with the tag, says how many, and keeps the rest', async () => {
    const c = cache();
    await c.setWithTags('product:1', { name: 'lamp' }, ['products'], 60);
    await c.setWithTags('product:2', { name: 'desk' }, ['products'], 60);
    await c.setWithTags('user:1', { name: 'Ada' }, ['users'], 60);
    expect(await c.invalidateTag('products')).toBe(2);
    expect(await c.get('product:1')).toEqual({ hit: false });
    expect(await c.get('product:2')).toEqual({ hit: false });
    expect(await c.get('user:1')).toEqual({ hit: true, value: { name: 'Ada' } });
  });

  it('reads back what it stored, falsy values included', async () => {
    const c = cache();
    await c.setWithTags('stock:1', 0, ['stock'], 60);
    expect(await c.get('stock:1')).toEqual({ hit: true, value: 0 });
  });

  it('drops an entry with several tags when any one of them is invalidated', async () => {
    const c = cache();
    await c.setWithTags('page:home', '<html>', ['products', 'banners'], 60);
    await c.invalidateTag('banners');
    expect(await c.get('page:home')).toEqual({ hit: false });
  });

  it('writes only under its prefix, in two namespaces: the entry at prefix + "entry:" + key, the index at prefix + "tag:" + tag', async () => {
    await cache().setWithTags('product:1', 'lamp', ['products'], 60);
    expect(await scanKeys(ns.redis, `${ns.prefix}*`, ns.prefix)).toEqual(['entry:product:1', 'tag:products']);
  });

  it('keeps an entry named "tag:home" apart from the index of tag "home" (one namespace let the entry overwrite the index)', async () => {
    const c = cache();
    await c.setWithTags('page:1', 'with the home banner', ['home'], 60);
    await c.setWithTags('tag:home', 'an entry that happens to be called tag:home', ['pages'], 60);
    expect(await c.invalidateTag('home')).toBe(1);
    expect(await c.get('page:1')).toEqual({ hit: false });
    expect(await c.get('tag:home')).toEqual({ hit: true, value: 'an entry that happens to be called tag:home' });
  });

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

  it('invalidates a tag of 1,200 entries (removed 500 at a time inside the script)', async () => {
    const c = cache();
    await c.setWithTags('p0', 0, ['big'], 60);
    const expiry = Date.now() + 60_000;
    const bulk = ns.redis.pipeline(); // the same layout setWithTags writes, without 1,200 script runs
    for (let i = 1; i < 1_200; i++) bulk.set(ns.key('entry', `p${i}`), String(i), 'EX', 60).zadd(indexOf('big'), expiry, ns.key('entry', `p${i}`));
    await bulk.exec();
    expect(await c.invalidateTag('big')).toBe(1_200);
    expect(await scanKeys(ns.redis, `${ns.prefix}*`)).toEqual([]);
  });

  it('gives a tag index a TTL, so the bookkeeping expires with its entries', async () => {
    await cache().setWithTags('product:1', 'lamp', ['products'], 60);
    const ttl = await ns.redis.pttl(indexOf('products'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('keeps a tag index alive as long as its longest-lived entry (a shorter TTL later must not cut it)', async () => {
    const c = cache();
    await c.setWithTags('product:1', 'lamp', ['products'], 600);
    await c.setWithTags('product:2', 'desk', ['products'], 60);
    expect(await ns.redis.pttl(indexOf('products'))).toBeGreaterThan(60_000);
    expect(await c.invalidateTag('products')).toBe(2);
  });

  it('forgets expired entries on the next write, so a busy tag\'s index holds only live keys', async () => {
    let now = Date.now();
    const c = new TaggedCache(ns.redis, ns.prefix, { now: () => now });
    for (let i = 0; i < 50; i++) await c.setWithTags(`product:${i}`, i, ['products'], 60);
    now += 61_000; // all fifty have expired by the cache's clock
    await c.setWithTags('product:new', 'new', ['products'], 60);
    expect(await ns.redis.zcard(indexOf('products'))).toBe(1);
  });

  it('removes the tag index itself when the tag is invalidated', async () => {
    const c = cache();
    await c.setWithTags('product:1', 'lamp', ['products'], 60);
    await c.invalidateTag('products');
    expect(await ns.redis.exists(indexOf('products'))).toBe(0);
  });

  it('invalidating a tag nobody used removes nothing and is not an error', async () => {
    await expect(cache().invalidateTag('nobody')).resolves.toBe(0);
  });

  it('rejects bad input at the call and writes nothing: an empty tag, a bad TTL, a value JSON cannot hold', async () => {
    const c = cache();
    await expect(c.setWithTags('a', 1, [''], 60)).rejects.toThrow(TypeError);
    await expect(c.setWithTags('a', 1, ['a', ''], 60)).rejects.toThrow(TypeError);
    await expect(c.setWithTags('a', 1, ['t'], 0)).rejects.toThrow(RangeError);
    await expect(c.setWithTags('a', undefined, ['t'], 60)).rejects.toThrow(TypeError);
    await expect(c.invalidateTag('')).rejects.toThrow(TypeError);
    expect(await scanKeys(ns.redis, `${ns.prefix}*`)).toEqual([]);
  });
});
