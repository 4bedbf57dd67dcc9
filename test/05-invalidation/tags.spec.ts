import { describe, expect, it } from 'vitest';
import { TaggedCache } from '@kata/05-invalidation/tags.js';
import { expectRefusal } from '../support/refusal.js';
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

  it('refuses bad input at the call and writes nothing: an empty key or tag, tags that are not an array, a bad TTL, a value JSON cannot hold', async () => {
    const c = cache();
    await expectRefusal(() => c.setWithTags('', 1, ['t'], 60), TypeError, 'key');
    await expectRefusal(() => c.setWithTags('a', 1, ['a', ''], 60), TypeError, 'tag');
    await expectRefusal(() => c.setWithTags('a', 1, 'products' as unknown as string[], 60), TypeError, 'tags');
    await expectRefusal(() => c.setWithTags('a', 1, ['t'], 0), RangeError, 'ttlSeconds');
    await expectRefusal(() => c.setWithTags('a', undefined, ['t'], 60), TypeError, 'value');
    await expectRefusal(() => c.setWithTags('a', { price: Number.NaN }, ['t'], 60), TypeError, 'price');
    await expectRefusal(() => c.get(''), TypeError, 'key');
    await expectRefusal(() => c.invalidateTag(''), TypeError, 'tag');
    expect(await scanKeys(ns.redis, `${ns.prefix}*`)).toEqual([]);
  });
});
