import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoadingTaggedCache } from '@kata/05-invalidation/tagged-loads.js';
import { TaggedCache } from '../../provided/tagged-cache.js';
import { useRedis } from '../support/redis.js';
import { heldLoad } from './keys.js';

const ns = useRedis();
const cache = () => new LoadingTaggedCache(ns.redis, ns.prefix);
const generationOf = (tag: string) => ns.key('gen', tag);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('LoadingTaggedCache, deeper', () => {
  it('serves a cached falsy value without loading (0 is a hit)', async () => {
    const c = cache();
    await c.getOrLoad('stock:1', ['stock'], 60, async () => 0);
    const load = vi.fn(async () => 7);
    expect(await c.getOrLoad('stock:1', ['stock'], 60, load)).toBe(0);
    expect(load).not.toHaveBeenCalled();
  });

  it('takes no tags at all: the entry is cached until its TTL', async () => {
    const c = cache();
    await c.getOrLoad('p1', [], 60, async () => 'lamp');
    expect(await c.getOrLoad('p1', [], 60, async () => 'not loaded')).toBe('lamp');
  });

  it('lets an invalidation of any one of the entry\'s tags win over a load in flight', async () => {
    const c = cache();
    const held = heldLoad<string>();
    const slow = c.getOrLoad('page:home', ['products', 'banners'], 60, held.load);
    await held.begun;
    await c.invalidateTag('banners');
    held.finish('old banner');
    await slow;
    expect(await c.getOrLoad('page:home', ['products', 'banners'], 60, async () => 'new banner')).toBe('new banner');
  });

  it('reads an entry it did not write (no generations in it, as TaggedCache or another program writes) as a miss', async () => {
    await new TaggedCache(ns.redis, ns.prefix).setWithTags('p1', 'bare value', ['products'], 60);
    expect(await cache().getOrLoad('p1', ['products'], 60, async () => 'loaded')).toBe('loaded');
    await new TaggedCache(ns.redis, ns.prefix).setWithTags('p2', null, ['products'], 60);
    expect(await cache().getOrLoad('p2', ['products'], 60, async () => 'loaded')).toBe('loaded');
  });

  it('reads an entry of another type (a LIST) as a miss, loads, and replaces it', async () => {
    await ns.redis.rpush(ns.key('entry', 'p1'), 'foreign');
    const c = cache();
    expect(await c.getOrLoad('p1', ['t'], 60, async () => 'lamp')).toBe('lamp');
    expect(await c.getOrLoad('p1', ['t'], 60, async () => 'not loaded')).toBe('lamp');
  });

  it('reads an entry stored with other tags as a miss: its generations were not checked for these', async () => {
    const c = cache();
    await c.getOrLoad('p1', ['a'], 60, async () => 'with a');
    expect(await c.getOrLoad('p1', ['b'], 60, async () => 'with b')).toBe('with b');
  });

  it('heals a generation key someone overwrote (a string that is not a number, a LIST): the invalidation still wins', async () => {
    for (const foreign of [() => ns.redis.set(generationOf('t'), 'not a number'), () => ns.redis.rpush(generationOf('t'), 'x')]) {
      await ns.redis.del(generationOf('t'));
      await foreign();
      const c = cache();
      await c.getOrLoad('p1', ['t'], 60, async () => 'old');
      const held = heldLoad<string>();
      const slow = c.getOrLoad('p2', ['t'], 60, held.load);
      await held.begun;
      await c.invalidateTag('t');
      held.finish('old');
      await slow;
      expect(await c.getOrLoad('p1', ['t'], 60, async () => 'new')).toBe('new');
      expect(await c.getOrLoad('p2', ['t'], 60, async () => 'new')).toBe('new');
    }
  });

  it('passes a Redis that fails on to the caller: a failed INCR is not a foreign generation, and removes nothing', async () => {
    const c = cache();
    await c.getOrLoad('p1', ['t'], 60, async () => 'lamp');
    vi.spyOn(ns.redis, 'incr').mockRejectedValueOnce(new Error('Connection is closed.'));
    await expect(c.invalidateTag('t')).rejects.toThrow('Connection is closed.');
    expect(await ns.redis.exists(generationOf('t'))).toBe(0);
    expect(await c.getOrLoad('p1', ['t'], 60, async () => 'not loaded')).toBe('lamp');
  });

  it('stores nothing when the load throws, passes its error on, and loads again on the next call', async () => {
    const c = cache();
    await expect(c.getOrLoad('p1', ['t'], 60, async () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(await c.getOrLoad('p1', ['t'], 60, async () => 'lamp')).toBe('lamp');
  });

  it('says who refused, and what', async () => {
    const c = cache();
    await expect(c.getOrLoad('', ['t'], 60, async () => 1)).rejects.toThrow(/^getOrLoad: the key/);
    await expect(c.getOrLoad('a', ['t', ''], 60, async () => 1)).rejects.toThrow(/^getOrLoad\(a\): a tag/);
    await expect(c.invalidateTag('')).rejects.toThrow(/^invalidateTag: the tag/);
  });

  it('refuses what JSON cannot hold after loading, and stores nothing', async () => {
    const c = cache();
    await expect(c.getOrLoad('p1', ['t'], 60, async () => new Map())).rejects.toThrow(TypeError);
    expect(await c.getOrLoad('p1', ['t'], 60, async () => 'lamp')).toBe('lamp');
  });
});
