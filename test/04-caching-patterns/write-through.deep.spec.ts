import { describe, expect, it, vi } from 'vitest';
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
});
