import type { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { getOrLoadLeased, getUserLeased, LEASE_MS } from '@kata/04-caching-patterns/lease.js';
import { getJson } from '../../provided/json-cache.js';
import { userKey } from '../../provided/user-cache.js';
import { UserRepository, type User } from '../../provided/user-repository.js';
import { onCluster, useCluster, useRedis } from '../support/redis.js';
import { failing, gate, ttlSeconds, user, userCache } from './helpers.js';

const ns = useRedis();
const shared = useCluster(ns);

/** A loader held until the spec lets it go: `started` resolves when it runs. */
function heldLoader<T>(value: T): { loader: () => Promise<T>; started: Promise<void>; release(): void } {
  let start!: () => void;
  let release!: () => void;
  const started = new Promise<void>((resolve) => (start = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  return {
    started,
    release,
    loader: async () => {
      start();
      await released;
      return value;
    },
  };
}

describe('getOrLoadLeased, the lease itself', () => {
  it('holds the lease under the key, with an expiry of at most LEASE_MS, while the load runs', async () => {
    const held = heldLoader('v');
    const reading = getOrLoadLeased(ns.redis, ns.key('k'), held.loader, ttlSeconds);
    await Promise.race([held.started, reading]);
    const pttl = await ns.redis.pttl(ns.key('k'));
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(LEASE_MS);
    held.release();
    expect(await reading).toBe('v');
    expect(await getJson(ns.redis, ns.key('k'))).toEqual({ hit: true, value: 'v' });
  });

  it('a reader that finds another reader\'s lease answers from the loader and leaves the fill to the holder', async () => {
    const held = heldLoader('first');
    const holder = getOrLoadLeased(ns.redis, ns.key('k'), held.loader, ttlSeconds);
    await Promise.race([held.started, holder]);
    const other = vi.fn(async () => 'second');
    const onCacheError = vi.fn();
    expect(await getOrLoadLeased(ns.redis, ns.key('k'), other, ttlSeconds, onCacheError)).toBe('second');
    expect(onCacheError).not.toHaveBeenCalled(); // a lease someone else holds is no failure
    held.release();
    await holder;
    expect(await getJson(ns.redis, ns.key('k'))).toEqual({ hit: true, value: 'first' });
  });

  it('a load whose lease was taken away and handed to a newer reader writes nothing; the newer one fills (the token is compared, not just the presence of a lease)', async () => {
    const old = heldLoader('old');
    const first = getOrLoadLeased(ns.redis, ns.key('k'), old.loader, ttlSeconds);
    await Promise.race([old.started, first]);
    await ns.redis.unlink(ns.key('k')); // an invalidation
    const fresh = heldLoader('new');
    const second = getOrLoadLeased(ns.redis, ns.key('k'), fresh.loader, ttlSeconds);
    await Promise.race([fresh.started, second]); // it holds a lease of its own now
    old.release();
    expect(await first).toBe('old');
    expect(await ns.redis.exists(ns.key('k'))).toBe(1); // still the newer lease…
    expect(await ns.redis.get(ns.key('k'))).not.toBe(JSON.stringify('old')); // …not 'old' (a plain getJson here would delete the lease as garbage)
    fresh.release();
    await second;
    expect(await getJson(ns.redis, ns.key('k'))).toEqual({ hit: true, value: 'new' });
  });

  it('takes a cached string that starts like a lease for the value it is', async () => {
    const loader = vi.fn(async () => 'lease:not really');
    expect(await getOrLoadLeased(ns.redis, ns.key('k'), loader, ttlSeconds)).toBe('lease:not really');
    expect(await getOrLoadLeased(ns.redis, ns.key('k'), loader, ttlSeconds)).toBe('lease:not really');
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('caches falsy values: a cached 0, \'\', false or null is a hit', async () => {
    for (const value of [0, '', false, null]) {
      const loader = vi.fn(async () => value);
      expect(await getOrLoadLeased(ns.redis, ns.key('falsy', String(value)), loader, ttlSeconds)).toBe(value);
      expect(await getOrLoadLeased(ns.redis, ns.key('falsy', String(value)), loader, ttlSeconds)).toBe(value);
      expect(loader).toHaveBeenCalledTimes(1);
    }
  });
});

describe('getOrLoadLeased when something throws (nothing is left half done)', () => {
  it('gives the lease back when the loader throws: the key is free at once, not after LEASE_MS', async () => {
    const hiccup = new Error('database hiccup');
    await expect(getOrLoadLeased(ns.redis, ns.key('k'), () => Promise.reject(hiccup), ttlSeconds)).rejects.toBe(hiccup);
    expect(await ns.redis.exists(ns.key('k'))).toBe(0);
  });

  it('returns a value JSON cannot hold (NaN), reports the TypeError, and gives the lease back', async () => {
    const onCacheError = vi.fn();
    expect(await getOrLoadLeased(ns.redis, ns.key('nan'), async () => ({ score: Number.NaN }), ttlSeconds, onCacheError)).toEqual({ score: Number.NaN });
    expect(onCacheError).toHaveBeenCalledWith(expect.any(TypeError));
    expect(onCacheError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining(`getOrLoadLeased(${ns.key('nan')})`) }));
    expect(await ns.redis.exists(ns.key('nan'))).toBe(0);
  });

  it('names getOrLoadLeased and the bad argument when it refuses a key or a TTL', async () => {
    const loader = vi.fn(async () => 1);
    await expect(getOrLoadLeased(ns.redis, '', loader, ttlSeconds)).rejects.toThrow(/^getOrLoadLeased: the key/);
    await expect(getOrLoadLeased(ns.redis, ns.key('k'), loader, 0)).rejects.toThrow(/^getOrLoadLeased: ttlSeconds/);
  });

  it('still answers from the database when Redis is down and onCacheError itself throws', async () => {
    const cache = await userCache(ns, 1, { redis: failing(ns.redis), onCacheError: () => { throw new Error('logger down'); } });
    await expect(getUserLeased(cache, 1)).resolves.toEqual(user(1));
  });

  it('still answers when only the fill fails, and tells onCacheError', async () => {
    const onCacheError = vi.fn();
    const cache = await userCache(ns, 1, { redis: failing(ns.redis, 'eval', 'evalsha', 'multi', 'exec'), onCacheError });
    await expect(getUserLeased(cache, 1)).resolves.toEqual(user(1));
    expect(onCacheError).toHaveBeenCalled();
  });

  it('does not write a lease when it cannot read: a Redis that fails the GET gets no SET either', async () => {
    const cache = await userCache(ns, 1, { redis: failing(ns.redis, 'get') });
    await expect(getUserLeased(cache, 1)).resolves.toEqual(user(1));
    expect(await ns.redis.exists(userKey(cache, 1))).toBe(0);
  });
});

describe('getUserLeased and what is not ours under the key (a miss that heals)', () => {
  it('treats garbage as a miss and replaces it', async () => {
    const cache = await userCache(ns, 1);
    await ns.redis.set(userKey(cache, 1), '{"id": 1, "na');
    expect(await getUserLeased(cache, 1)).toEqual(user(1));
    expect(await getUserLeased(cache, 1)).toEqual(user(1));
    expect(cache.users.queries).toBe(1);
  });

  it('treats a key of another type as a miss and replaces it, without calling it an error', async () => {
    const onCacheError = vi.fn();
    const cache = await userCache(ns, 1, { onCacheError });
    await ns.redis.hset(userKey(cache, 1), 'name', 'not ours');
    expect(await getUserLeased(cache, 1)).toEqual(user(1));
    expect(await getUserLeased(cache, 1)).toEqual(user(1));
    expect(cache.users.queries).toBe(1);
    expect(onCacheError).not.toHaveBeenCalled();
  });

  it('a read that began before a delete of the user caches no ghost', async () => {
    const slowRead = gate((q) => q.operation === 'get');
    const cache = await userCache(ns, 0, { users: new UserRepository({ latency: slowRead.latency }) });
    await cache.users.upsert(user(1));
    const reader = getUserLeased(cache, 1);
    await Promise.race([slowRead.reached, reader]);
    await cache.users.delete(1);
    await ns.redis.unlink(userKey(cache, 1));
    slowRead.release();
    expect(await reader).toEqual(user(1));
    expect(await getJson<User>(ns.redis, userKey(cache, 1))).toEqual({ hit: false });
    expect(await getUserLeased(cache, 1)).toBeNull();
  });
});

describe('getOrLoadLeased on a Redis Cluster', () => {
  onCluster()('takes, fills and gives back its lease there too: each script declares the one key it touches, so it runs on the key\'s node', async () => {
    const cluster = shared.cluster as unknown as Redis;
    const loader = vi.fn(async () => 'v');
    expect(await getOrLoadLeased(cluster, ns.key('a'), loader, ttlSeconds)).toBe('v');
    expect(await getOrLoadLeased(cluster, ns.key('a'), loader, ttlSeconds)).toBe('v');
    expect(loader).toHaveBeenCalledTimes(1);
    const hiccup = new Error('database hiccup');
    await expect(getOrLoadLeased(cluster, ns.key('b'), () => Promise.reject(hiccup), ttlSeconds)).rejects.toBe(hiccup);
    expect(await cluster.exists(ns.key('b'))).toBe(0);
  });
});
