import { describe, expect, it, vi } from 'vitest';
import { getUser } from '@kata/04-caching-patterns/cache-aside.js';
import { saveUser } from '@kata/04-caching-patterns/write-through.js';
import { useRedis } from '../support/redis.js';
import { failing, user, userCache } from './helpers.js';

const ns = useRedis();

describe('saveUser, the corners', () => {
  it('still succeeds when Redis is down altogether', async () => {
    const cache = await userCache(ns, 0, { redis: failing(ns.redis) });
    await expect(saveUser(cache, user(1))).resolves.toEqual(user(1));
  });

  it('reports both failures to onCacheError when SET fails and so does the delete of the old copy, and still succeeds', async () => {
    const onCacheError = vi.fn();
    const cache = await userCache(ns, 0, { redis: failing(ns.redis, 'set', 'setex', 'unlink'), onCacheError });
    await expect(saveUser(cache, user(1, 'Ann'))).resolves.toEqual(user(1, 'Ann'));
    expect(onCacheError).toHaveBeenCalledTimes(2);
    expect(onCacheError).toHaveBeenLastCalledWith(expect.objectContaining({ message: expect.stringMatching(/unlink failed/) }));
  });

  it('rejects a bad TTL with a RangeError naming saveUser, before it writes anything', async () => {
    const cache = await userCache(ns, 0, { ttlSeconds: 0 });
    await expect(saveUser(cache, user(1))).rejects.toThrow(/^saveUser: ttlSeconds/);
    expect(await cache.users.get(1)).toBeNull();
  });

  it('still deletes the old copy and succeeds when onCacheError itself throws', async () => {
    const cache = await userCache(ns, 1);
    await getUser(cache, 1); // the old row is cached
    const throwing = () => {
      throw new Error('logger down');
    };
    await expect(saveUser({ ...cache, redis: failing(ns.redis, 'set', 'setex'), onCacheError: throwing }, user(1, 'Renamed'))).resolves.toEqual(user(1, 'Renamed'));
    expect(await getUser(cache, 1)).toEqual(user(1, 'Renamed'));
  });
});
