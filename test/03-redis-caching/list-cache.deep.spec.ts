import { describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { getListPage, setList } from '@kata/03-redis-caching/list-cache.js';
import { useRedis } from '../support/redis.js';

const users = Array.from({ length: 7 }, (_, i) => ({ id: i + 1, name: `user ${i + 1}` }));

describe('setList / getListPage: a list as a Redis LIST (source 3.4)', () => {
  const ns = useRedis();

  it('does not take a foreign list that starts with an empty string for one of ours', async () => {
    await ns.redis.rpush(ns.key('foreign'), '', '1', '2');
    expect(await getListPage(ns.redis, ns.key('foreign'))).toEqual({ hit: false });
  });

  it('stores exactly 999 and 1,000 items (the marker makes 1,000 and 1,001 values: no empty RPUSH chunk)', async () => {
    for (const count of [999, 1_000]) {
      const items = Array.from({ length: count }, (_, i) => i);
      await setList(ns.redis, ns.key('edge', count), items, 60);
      expect(await getListPage(ns.redis, ns.key('edge', count), { offset: count - 1 })).toEqual({ hit: true, items: [count - 1], total: count });
    }
  });

  it('passes an error Redis answers inside the MULTI (other than WRONGTYPE) on to the caller', async () => {
    const chain = { llen: () => chain, lindex: () => chain, lrange: () => chain, exec: async () => [[new Error('OOM command not allowed'), null], [null, null], [null, []]] };
    const redis = { multi: () => chain, unlink: vi.fn() };
    await expect(getListPage(redis as unknown as Redis, 'users')).rejects.toThrow('OOM');
    expect(redis.unlink).not.toHaveBeenCalled();
  });

  it('treats a list it did not write (no marker) or an item that is not JSON as a miss, and deletes it', async () => {
    await ns.redis.rpush(ns.key('foreign'), '{"id":1}', '{"id":2}');
    await ns.redis.rpush(ns.key('garbage'), '<cachelings:list>', '{"id":1', '{"id":2}');
    for (const name of ['foreign', 'garbage']) {
      expect(await getListPage(ns.redis, ns.key(name))).toEqual({ hit: false });
      expect(await ns.redis.exists(ns.key(name))).toBe(0);
    }
  });

  it('treats a key of another type as a miss (Redis answers LLEN on a string with WRONGTYPE), deletes it, and setList heals it', async () => {
    await ns.redis.set(ns.key('users'), 'a string someone else wrote');
    expect(await getListPage(ns.redis, ns.key('users'))).toEqual({ hit: false });
    expect(await ns.redis.exists(ns.key('users'))).toBe(0);
    await ns.redis.set(ns.key('users'), 'again');
    await setList(ns.redis, ns.key('users'), users, 60);
    expect(await getListPage(ns.redis, ns.key('users'), { limit: 1 })).toEqual({ hit: true, items: users.slice(0, 1), total: 7 });
  });

  it('refuses a negative, fractional or unsafe limit or offset with a RangeError naming it (LRANGE would answer a wrong page)', async () => {
    await setList(ns.redis, ns.key('users'), users, 60);
    for (const limit of [-1, 1.5, Number.NaN, 2 ** 60]) {
      await expect(getListPage(ns.redis, ns.key('users'), { limit })).rejects.toThrow(RangeError);
    }
    await expect(getListPage(ns.redis, ns.key('users'), { limit: -2 })).rejects.toThrow(/limit .*got -2/);
    await expect(getListPage(ns.redis, ns.key('users'), { offset: 1e300 })).rejects.toThrow(/offset .*got 1e\+300/);
    await expect(getListPage(ns.redis, '')).rejects.toThrow(TypeError);
  });

  it('reads a page of limit 0 as a hit with no items, and limit Infinity as the rest of the list', async () => {
    await setList(ns.redis, ns.key('users'), users, 60);
    expect(await getListPage(ns.redis, ns.key('users'), { offset: 2, limit: 0 })).toEqual({ hit: true, items: [], total: 7 });
    expect(await getListPage(ns.redis, ns.key('users'), { offset: 5, limit: Infinity })).toEqual({ hit: true, items: users.slice(5), total: 7 });
  });

  it('refuses NaN in an item, a TTL Redis cannot store, and items that are not an array, before anything is written', async () => {
    await expect(setList(ns.redis, ns.key('users'), [{ score: Number.NaN }], 60)).rejects.toThrow(/item 0/);
    await expect(setList(ns.redis, ns.key('users'), users, 1e20)).rejects.toThrow(/ttlSeconds/);
    await expect(setList(ns.redis, ns.key('users'), 'abc' as unknown as string[], 60)).rejects.toThrow(/items must be an array/);
    expect(await ns.redis.exists(ns.key('users'))).toBe(0);
  });

  it('takes a TTL of exactly 1', async () => {
    await setList(ns.redis, ns.key('users'), users, 1);
    expect(await ns.redis.pttl(ns.key('users'))).toBeGreaterThan(0);
  });

  it('passes a Redis that is down on to the caller (it is not a miss to delete)', async () => {
    const down = { multi: () => ({ llen: () => down.multi(), lindex: () => down.multi(), lrange: () => down.multi(), exec: () => Promise.reject(new Error('Connection is closed.')) }), unlink: vi.fn() };
    await expect(getListPage(down as unknown as Redis, ns.key('users'))).rejects.toThrow('Connection is closed.');
    expect(down.unlink).not.toHaveBeenCalled();
  });

  it('throws when EXEC answers null (an aborted transaction) rather than reading no replies as an empty list', async () => {
    const chain = { llen: () => chain, lindex: () => chain, lrange: () => chain, exec: async () => null };
    await expect(getListPage({ multi: () => chain } as unknown as Redis, 'users')).rejects.toThrow(/aborted/);
  });

  it('names the call in its refusals: setList and getListPage', async () => {
    await expect(setList(ns.redis, '', users, 60)).rejects.toThrow(/^setList: the key/);
    await expect(setList(ns.redis, ns.key('users'), users, 0)).rejects.toThrow(/^setList: ttlSeconds/);
    await expect(getListPage(ns.redis, '')).rejects.toThrow(/^getListPage: the key/);
  });
});
