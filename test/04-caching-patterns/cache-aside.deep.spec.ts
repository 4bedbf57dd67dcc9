import { describe, expect, it, vi } from 'vitest';
import { getOrLoad, getUser, userKey } from '@kata/04-caching-patterns/cache-aside.js';
import { useRedis } from '../support/redis.js';
import { failing, ttlSeconds, user, userCache } from './helpers.js';

const ns = useRedis();

describe('getUser, the corners', () => {
  it('tells onCacheError about the failed read itself', async () => {
    const onCacheError = vi.fn();
    const cache = await userCache(ns, 1, { redis: failing(ns.redis, 'get'), onCacheError });
    await expect(getUser(cache, 1)).resolves.toEqual(user(1));
    expect(onCacheError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/get failed/) }));
  });

  it('serves from the database when every Redis command fails, with no onCacheError given', async () => {
    const cache = await userCache(ns, 1, { redis: failing(ns.redis) });
    await expect(getUser(cache, 1)).resolves.toEqual(user(1));
  });

  it('treats a key of another type as a miss and heals it (Redis answers GET on a hash with WRONGTYPE)', async () => {
    const onCacheError = vi.fn();
    const cache = await userCache(ns, 1, { onCacheError });
    await ns.redis.hset(userKey(cache, 1), 'name', 'not ours');
    expect(await getUser(cache, 1)).toEqual(user(1));
    expect(await getUser(cache, 1)).toEqual(user(1));
    expect(cache.users.queries).toBe(1);
    expect(onCacheError).not.toHaveBeenCalled();
  });
});

describe('getOrLoad, the corners', () => {
  it('does not cache a loader that throws: the next call loads again', async () => {
    const loader = vi.fn().mockRejectedValueOnce(new Error('database hiccup')).mockResolvedValue('ok');
    await expect(getOrLoad(ns.redis, ns.key('flaky'), loader, ttlSeconds)).rejects.toThrow('database hiccup');
    await expect(getOrLoad(ns.redis, ns.key('flaky'), loader, ttlSeconds)).resolves.toBe('ok');
  });

  it('rejects an empty key with a TypeError at once: nothing is read, loaded or reported', async () => {
    const loader = vi.fn(async () => 1);
    const onCacheError = vi.fn();
    const get = vi.spyOn(ns.redis, 'get');
    await expect(getOrLoad(ns.redis, '', loader, ttlSeconds, onCacheError)).rejects.toThrow(/getOrLoad: the key/);
    expect(get).not.toHaveBeenCalled();
    expect(loader).not.toHaveBeenCalled();
    expect(onCacheError).not.toHaveBeenCalled();
  });

  it('refuses NaN from the loader (JSON would cache it as null) but still answers, and tells onCacheError', async () => {
    const onCacheError = vi.fn();
    expect(await getOrLoad(ns.redis, ns.key('nan'), async () => ({ score: Number.NaN }), ttlSeconds, onCacheError)).toEqual({ score: Number.NaN });
    expect(onCacheError).toHaveBeenCalledWith(expect.any(TypeError));
    expect(await ns.redis.exists(ns.key('nan'))).toBe(0);
  });

  it('rejects a TTL that is not a positive integer with a RangeError naming getOrLoad, before loading anything', async () => {
    const loader = vi.fn(async () => 1);
    for (const bad of [0, -5, 1.5, Number.NaN, 1e20]) {
      await expect(getOrLoad(ns.redis, ns.key('bad-ttl'), loader, bad)).rejects.toThrow(/^getOrLoad: ttlSeconds/);
    }
    expect(loader).not.toHaveBeenCalled();
  });

  it('still answers when onCacheError itself throws, whether the read or the write failed (a logger that is down fails no request)', async () => {
    const onCacheError = () => {
      throw new Error('logger down');
    };
    for (const commands of [['get'], ['set', 'setex']]) {
      const cache = await userCache(ns, 1, { redis: failing(ns.redis, ...commands), onCacheError });
      await expect(getUser(cache, 1)).resolves.toEqual(user(1));
    }
  });
});
