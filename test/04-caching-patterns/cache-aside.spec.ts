import { describe, expect, it, vi } from 'vitest';
import { getOrLoad, getUser, userKey } from '@kata/04-caching-patterns/cache-aside.js';
import { useRedis } from '../support/redis.js';
import { failing, ttlSeconds, user, userCache } from './helpers.js';

const ns = useRedis();

describe('getUser (cache-aside, source 4.1)', () => {
  it('costs one query per user: 1,000 reads spread over 10 users make 10 queries', async () => {
    const cache = await userCache(ns, 10);
    for (let read = 0; read < 1_000; read++) {
      expect(await getUser(cache, (read % 10) + 1)).toEqual(user((read % 10) + 1));
    }
    expect(cache.users.queries).toBe(10);
  });

  it('caches a user that does not exist as null: asking again costs no query', async () => {
    const cache = await userCache(ns, 0);
    expect(await getUser(cache, 42)).toBeNull();
    expect(await getUser(cache, 42)).toBeNull();
    expect(cache.users.queries).toBe(1);
  });

  it('stores the copy with a TTL, so a stale user lives at most ttlSeconds', async () => {
    const cache = await userCache(ns, 1);
    await getUser(cache, 1);
    const ttl = await ns.redis.ttl(userKey(cache, 1));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(ttlSeconds);
  });

  it('serves from the database when Redis is down, instead of failing the request, and tells onCacheError about the failed read', async () => {
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

  it('treats garbage in the cache as a miss and replaces it (the source\'s json.loads would throw)', async () => {
    const cache = await userCache(ns, 1);
    await ns.redis.set(userKey(cache, 1), '{"id": 1, "na');
    expect(await getUser(cache, 1)).toEqual(user(1));
    expect(await getUser(cache, 1)).toEqual(user(1));
    expect(cache.users.queries).toBe(1);
  });

  it('still answers when only the cache write fails, and tells onCacheError', async () => {
    const onCacheError = vi.fn();
    const cache = await userCache(ns, 1, { redis: failing(ns.redis, 'set', 'setex'), onCacheError });
    await expect(getUser(cache, 1)).resolves.toEqual(user(1));
    expect(onCacheError).toHaveBeenCalled();
  });

  it('passes the database\'s error through and caches nothing', async () => {
    const cache = await userCache(ns, 0);
    await expect(getUser(cache, -1)).rejects.toThrow(TypeError);
    expect(await ns.redis.exists(userKey(cache, -1))).toBe(0);
  });
});

describe('getOrLoad', () => {
  it('caches falsy values: a cached 0, \'\' or false is a hit, not a reason to load again', async () => {
    for (const value of [0, '', false]) {
      const loader = vi.fn(async () => value);
      expect(await getOrLoad(ns.redis, ns.key('falsy', String(value)), loader, ttlSeconds)).toBe(value);
      expect(await getOrLoad(ns.redis, ns.key('falsy', String(value)), loader, ttlSeconds)).toBe(value);
      expect(loader).toHaveBeenCalledTimes(1);
    }
  });

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

  it('rejects a TTL that is not a positive integer with a RangeError, before loading anything', async () => {
    const loader = vi.fn(async () => 1);
    for (const bad of [0, -5, 1.5, Number.NaN, 1e20]) {
      await expect(getOrLoad(ns.redis, ns.key('bad-ttl'), loader, bad)).rejects.toThrow(/^getOrLoad: ttlSeconds/);
    }
    expect(loader).not.toHaveBeenCalled();
  });
});
