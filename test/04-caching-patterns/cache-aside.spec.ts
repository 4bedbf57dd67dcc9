import { describe, expect, it, vi } from 'vitest';
import { getOrLoad, getUser, userKey } from '@kata/04-caching-patterns/cache-aside.js';
import { useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';
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

  it('serves from the database when Redis is down, instead of failing the request, and tells onCacheError', async () => {
    const onCacheError = vi.fn();
    const cache = await userCache(ns, 1, { redis: failing(ns.redis, 'get'), onCacheError });
    await expect(getUser(cache, 1)).resolves.toEqual(user(1));
    expect(onCacheError).toHaveBeenCalled();
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

  it('refuses an empty key (TypeError) and a TTL that is not a whole number of seconds from 1 (RangeError), before loading anything', async () => {
    const loader = vi.fn(async () => 1);
    await expectRefusal(() => getOrLoad(ns.redis, '', loader, ttlSeconds), TypeError, 'key');
    for (const bad of [0, 1.5, 1e20]) {
      await expectRefusal(() => getOrLoad(ns.redis, ns.key('bad-ttl'), loader, bad), RangeError, 'ttlSeconds');
    }
    expect(loader).not.toHaveBeenCalled();
  });
});
