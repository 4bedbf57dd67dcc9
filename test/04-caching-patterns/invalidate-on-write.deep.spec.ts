import { afterEach, describe, expect, it, vi } from 'vitest';
import { getUser, userKey } from '@kata/04-caching-patterns/cache-aside.js';
import { deleteUser, updateUser } from '@kata/04-caching-patterns/invalidate-on-write.js';
import { getJson } from '../../provided/json-cache.js';
import type { User } from '../../provided/user-repository.js';
import { useRedis } from '../support/redis.js';
import { failing, user, userCache } from './helpers.js';

const ns = useRedis();

afterEach(() => {
  vi.useRealTimers();
});

describe('updateUser and deleteUser, the corners', () => {
  it('deletes once by default: no timer is left behind', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const cache = await userCache(ns, 1);
    await updateUser(cache, 1, { name: 'Renamed' });
    await deleteUser(cache, 1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('succeeds when the delete fails and no onCacheError is given (the commit happened; a rejection would say it did not)', async () => {
    const cache = await userCache(ns, 1, { redis: failing(ns.redis) });
    await expect(updateUser(cache, 1, { name: 'Renamed' })).resolves.toEqual(user(1, 'Renamed'));
    await expect(deleteUser(cache, 1, { secondDeleteAfterMs: 10 })).resolves.toBe(true);
  });

  it('rejects a secondDeleteAfterMs past what a Node timer keeps (2^31 ms fires after 1 ms, deleting a fresh copy), naming it and the value', async () => {
    const cache = await userCache(ns, 1);
    await expect(updateUser(cache, 1, { name: 'X' }, { secondDeleteAfterMs: 2 ** 31 })).rejects.toThrow(/secondDeleteAfterMs .*got 2147483648/);
    await expect(deleteUser(cache, 1, { secondDeleteAfterMs: Infinity })).rejects.toThrow(RangeError);
    expect(await cache.users.get(1)).toEqual(user(1));
  });

  it('takes the longest delay a timer keeps, 2^31 - 1 ms, and deletes again only then', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const cache = await userCache(ns, 1);
    await updateUser(cache, 1, { name: 'Renamed' }, { secondDeleteAfterMs: 2 ** 31 - 1 });
    await getUser(cache, 1); // a fresh copy, cached after the write
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await getJson<User>(ns.redis, userKey(cache, 1))).toEqual({ hit: true, value: user(1, 'Renamed') });
    expect(vi.getTimerCount()).toBe(1);
  });

  it('succeeds, and leaves no unhandled rejection behind its second delete, when the deletes fail and onCacheError itself throws', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const onCacheError = () => {
        throw new Error('logger down');
      };
      const cache = await userCache(ns, 1, { redis: failing(ns.redis), onCacheError });
      await expect(updateUser(cache, 1, { name: 'Renamed' }, { secondDeleteAfterMs: 10 })).resolves.toEqual(user(1, 'Renamed'));
      await expect(deleteUser(cache, 1, { secondDeleteAfterMs: 10 })).resolves.toBe(true);
      await vi.advanceTimersByTimeAsync(10);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
