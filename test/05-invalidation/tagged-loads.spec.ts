import { describe, expect, it, vi } from 'vitest';
import { LoadingTaggedCache } from '@kata/05-invalidation/tagged-loads.js';
import { expectRefusal } from '../support/refusal.js';
import { useRedis } from '../support/redis.js';
import { heldLoad, keysUnder } from './keys.js';

const ns = useRedis();
const cache = () => new LoadingTaggedCache(ns.redis, ns.prefix);

describe('LoadingTaggedCache (a tag invalidation wins over a load in flight)', () => {
  it('loads on a miss, stores, and serves the stored value to the next call without loading', async () => {
    const c = cache();
    expect(await c.getOrLoad('product:1', ['products'], 60, async () => ({ name: 'lamp' }))).toEqual({ name: 'lamp' });
    const load = vi.fn(async () => ({ name: 'not loaded' }));
    expect(await cache().getOrLoad('product:1', ['products'], 60, load)).toEqual({ name: 'lamp' });
    expect(load).not.toHaveBeenCalled();
  });

  it('loads again after one of the entry\'s tags is invalidated, and keeps entries of other tags', async () => {
    const c = cache();
    await c.getOrLoad('product:1', ['products', 'home'], 60, async () => 'lamp');
    await c.getOrLoad('user:1', ['users'], 60, async () => 'Ada');
    expect(await c.invalidateTag('home')).toBe(1);
    expect(await c.getOrLoad('product:1', ['products', 'home'], 60, async () => 'lamp, new price')).toBe('lamp, new price');
    expect(await c.getOrLoad('user:1', ['users'], 60, async () => 'not loaded')).toBe('Ada');
  });

  it('lets an invalidation win over a load already in flight: what the load read before it is never served after it', async () => {
    const c = cache();
    const held = heldLoad<string>();
    const slow = c.getOrLoad('product:1', ['products'], 60, held.load);
    await held.begun; // the load has read the old row
    await cache().invalidateTag('products'); // the row changed, and its tag was invalidated
    held.finish('old price');
    expect(await slow).toBe('old price'); // its own caller gets what it loaded
    expect(await cache().getOrLoad('product:1', ['products'], 60, async () => 'new price')).toBe('new price');
  });

  it('stores and serves what a load that began after the invalidation read', async () => {
    const c = cache();
    await c.invalidateTag('products');
    await c.getOrLoad('product:1', ['products'], 60, async () => 'new price');
    expect(await c.getOrLoad('product:1', ['products'], 60, async () => 'not loaded')).toBe('new price');
  });

  it('keeps the generations at prefix + "gen:" + tag, next to TaggedCache\'s entries and indexes', async () => {
    const c = cache();
    await c.getOrLoad('product:1', ['products'], 60, async () => 'lamp');
    await c.invalidateTag('products');
    expect(await keysUnder(ns.redis, ns.prefix)).toEqual(['gen:products']);
  });

  it('refuses an empty key or tag, tags that are not an array, and a bad TTL, before it loads anything', async () => {
    const c = cache();
    const load = vi.fn(async () => 1);
    await expectRefusal(() => c.getOrLoad('', ['t'], 60, load), TypeError, 'key');
    await expectRefusal(() => c.getOrLoad('a', ['t', ''], 60, load), TypeError, 'tag');
    await expectRefusal(() => c.getOrLoad('a', 't' as unknown as string[], 60, load), TypeError, 'tags');
    await expectRefusal(() => c.getOrLoad('a', ['t'], 0, load), RangeError, 'ttlSeconds');
    await expectRefusal(() => c.invalidateTag(''), TypeError, 'tag');
    expect(load).not.toHaveBeenCalled();
  });
});
