import { afterEach, describe, expect, it, vi } from 'vitest';
import { getUser, userKey } from '@kata/04-caching-patterns/cache-aside.js';
import { deleteUser, updateUser } from '@kata/04-caching-patterns/invalidate-on-write.js';
import { getJson } from '../../provided/json-cache.js';
import { UserRepository, type User } from '../../provided/user-repository.js';
import { useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';
import { failing, gate, user, userCache } from './helpers.js';

const ns = useRedis();

afterEach(() => {
  vi.useRealTimers();
});

describe('updateUser and deleteUser (cache-aside with writes, source 4.4)', () => {
  it('updates the row, and the next read loads the new one', async () => {
    const cache = await userCache(ns, 1);
    await getUser(cache, 1);
    expect(await updateUser(cache, 1, { name: 'Renamed' })).toEqual(user(1, 'Renamed'));
    expect(await getUser(cache, 1)).toEqual(user(1, 'Renamed'));
  });

  it('deletes rather than sets: two writers whose cache writes land out of order leave no stale row (the source sets, and keeps the older one)', async () => {
    // A commits first, but its answer is slow, so its cache write lands after B's.
    const slowFirstUpdate = gate((q) => q.operation === 'update');
    const cache = await userCache(ns, 1, { users: new UserRepository({ latency: slowFirstUpdate.latency }) });
    await cache.users.upsert(user(1));
    const writerA = updateUser(cache, 1, { name: 'A' });
    await slowFirstUpdate.reached;
    await updateUser(cache, 1, { name: 'B' });
    slowFirstUpdate.release();
    await writerA;
    expect(await cache.users.get(1)).toEqual(user(1, 'B'));
    expect(await getUser(cache, 1)).toEqual(user(1, 'B'));
  });

  it('deleteUser removes the row and the copy: the next read finds no user', async () => {
    const cache = await userCache(ns, 1);
    await getUser(cache, 1);
    expect(await deleteUser(cache, 1)).toBe(true);
    expect(await getUser(cache, 1)).toBeNull();
    expect(await deleteUser(cache, 1)).toBe(false);
  });

  it('an update of a user that does not exist returns null, and no read is misled by it', async () => {
    const cache = await userCache(ns);
    expect(await updateUser(cache, 7, { name: 'Ghost' })).toBeNull();
    expect(await getUser(cache, 7)).toBeNull();
  });

  it('a second delete after secondDeleteAfterMs removes the old row a slow reader put back after the first', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const slowRead = gate((q) => q.operation === 'get');
    const cache = await userCache(ns, 0, { users: new UserRepository({ latency: slowRead.latency }) });
    await cache.users.upsert(user(1, 'Old'));

    const reader = getUser(cache, 1); // misses, reads 'Old', and is slow to cache it
    await slowRead.reached;
    await updateUser(cache, 1, { name: 'New' }, { secondDeleteAfterMs: 1_000 });
    slowRead.release();
    await reader;
    // The race deleting leaves open: the reader's SET landed after the writer's delete.
    expect(await getJson<User>(ns.redis, userKey(cache, 1))).toEqual({ hit: true, value: user(1, 'Old') });

    await vi.advanceTimersByTimeAsync(1_000);
    expect(await getUser(cache, 1)).toEqual(user(1, 'New'));
  });

  it('succeeds when the delete fails: the row is committed, and the TTL ends the stale copy', async () => {
    const onCacheError = vi.fn();
    const cache = await userCache(ns, 1, { redis: failing(ns.redis), onCacheError });
    await expect(updateUser(cache, 1, { name: 'Renamed' })).resolves.toEqual(user(1, 'Renamed'));
    await expect(deleteUser(cache, 1)).resolves.toBe(true);
    expect(onCacheError).toHaveBeenCalled();
  });

  it('rejects a negative or NaN secondDeleteAfterMs with a RangeError before writing anything', async () => {
    const cache = await userCache(ns, 1);
    await expectRefusal(() => updateUser(cache, 1, { name: 'X' }, { secondDeleteAfterMs: -1 }), RangeError, 'secondDeleteAfterMs');
    await expectRefusal(() => deleteUser(cache, 1, { secondDeleteAfterMs: Number.NaN }), RangeError, 'secondDeleteAfterMs');
    expect(await cache.users.get(1)).toEqual(user(1));
  });
});
