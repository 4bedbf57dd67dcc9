import { describe, expect, it, vi } from 'vitest';
import { getUser, userKey } from '@kata/04-caching-patterns/cache-aside.js';
import { saveUser } from '@kata/04-caching-patterns/write-through.js';
import { useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';
import { failing, ttlSeconds, user, userCache } from './helpers.js';

const ns = useRedis();

describe('saveUser (write-through, source 4.2)', () => {
  it('commits the row and caches it: the next read is a hit that costs no query', async () => {
    const cache = await userCache(ns);
    await saveUser(cache, user(1, 'Ann'));
    expect(await cache.users.get(1)).toEqual(user(1, 'Ann'));
    cache.users.resetQueries();
    expect(await getUser(cache, 1)).toEqual(user(1, 'Ann'));
    expect(cache.users.queries).toBe(0);
  });

  it('replaces a cached old row: a read right after the write sees the new one', async () => {
    const cache = await userCache(ns, 1);
    await getUser(cache, 1);
    await saveUser(cache, user(1, 'Renamed'));
    expect(await getUser(cache, 1)).toEqual(user(1, 'Renamed'));
  });

  it('gives the cached copy a TTL', async () => {
    const cache = await userCache(ns);
    await saveUser(cache, user(1));
    const ttl = await ns.redis.ttl(userKey(cache, 1));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(ttlSeconds);
  });

  it('leaves the cache alone when the database refuses the write, and passes its error on', async () => {
    const cache = await userCache(ns, 1);
    await getUser(cache, 1);
    const diskFull = new Error('disk full');
    vi.spyOn(cache.users, 'upsert').mockRejectedValueOnce(diskFull);
    await expect(saveUser(cache, user(1, 'Never saved'))).rejects.toBe(diskFull);
    expect(await getUser(cache, 1)).toEqual(user(1));
  });

  it('succeeds when the cache write fails: the row is committed, so the write happened', async () => {
    const onCacheError = vi.fn();
    const cache = await userCache(ns, 0, { redis: failing(ns.redis, 'set', 'setex'), onCacheError });
    await expect(saveUser(cache, user(1, 'Ann'))).resolves.toEqual(user(1, 'Ann'));
    expect(await cache.users.get(1)).toEqual(user(1, 'Ann'));
    expect(onCacheError).toHaveBeenCalled();
  });

  it('deletes the old copy when SET fails, so readers get the new row rather than a stale one for a TTL', async () => {
    const cache = await userCache(ns, 1);
    await getUser(cache, 1); // the old row is cached
    await saveUser({ ...cache, redis: failing(ns.redis, 'set', 'setex') }, user(1, 'Renamed'));
    expect(await getUser(cache, 1)).toEqual(user(1, 'Renamed'));
  });

  it('refuses a bad TTL with a RangeError naming ttlSeconds, before it writes anything', async () => {
    const cache = await userCache(ns, 0, { ttlSeconds: 0 });
    await expectRefusal(() => saveUser(cache, user(1)), RangeError, 'ttlSeconds');
    expect(await cache.users.get(1)).toBeNull();
  });
});
