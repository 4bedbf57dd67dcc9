import { describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { getJsonListPage, getListPage, setList } from '@kata/03-redis-caching/list-cache.js';
import { useRedis } from '../support/redis.js';

const users = Array.from({ length: 7 }, (_, i) => ({ id: i + 1, name: `user ${i + 1}` }));

describe('setList / getListPage: a list as a Redis LIST (source 3.4)', () => {
  const ns = useRedis();

  it('reads a list nobody cached as a miss, and writes nothing for it', async () => {
    const unlink = vi.spyOn(ns.redis, 'unlink');
    expect(await getListPage(ns.redis, ns.key('users'))).toEqual({ hit: false });
    expect(unlink).not.toHaveBeenCalled();
  });

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

  it('reads back the whole list, in order, with its length', async () => {
    await setList(ns.redis, ns.key('users'), users, 60);
    expect(await getListPage(ns.redis, ns.key('users'))).toEqual({ hit: true, items: users, total: 7 });
  });

  it('reads one page with LRANGE: offset and limit, and the total for the page count', async () => {
    await setList(ns.redis, ns.key('users'), users, 60);
    expect(await getListPage(ns.redis, ns.key('users'), { offset: 3, limit: 3 })).toEqual({ hit: true, items: users.slice(3, 6), total: 7 });
    expect(await getListPage(ns.redis, ns.key('users'), { offset: 6, limit: 3 })).toEqual({ hit: true, items: users.slice(6), total: 7 });
  });

  it('caches an empty list as a hit with no items (Redis cannot hold an empty LIST: a marker does)', async () => {
    await setList(ns.redis, ns.key('users'), [], 60);
    expect(await getListPage(ns.redis, ns.key('users'))).toEqual({ hit: true, items: [], total: 0 });
  });

  it('reads a page past the end as a hit with no items, not as a miss', async () => {
    await setList(ns.redis, ns.key('users'), users, 60);
    expect(await getListPage(ns.redis, ns.key('users'), { offset: 50, limit: 10 })).toEqual({ hit: true, items: [], total: 7 });
  });

  it('keeps falsy items: 0, \'\', false and null', async () => {
    await setList(ns.redis, ns.key('answers'), [0, '', false, null], 60);
    expect(await getListPage(ns.redis, ns.key('answers'))).toEqual({ hit: true, items: [0, '', false, null], total: 4 });
  });

  it('replaces a list cached before (RPUSH on its own would append to it)', async () => {
    await setList(ns.redis, ns.key('users'), users, 60);
    await setList(ns.redis, ns.key('users'), users.slice(0, 2), 60);
    expect(await getListPage(ns.redis, ns.key('users'))).toEqual({ hit: true, items: users.slice(0, 2), total: 2 });
  });

  it('gives the list its TTL in the same MULTI: a crash right after RPUSH cannot leave a list that never expires', async () => {
    const crashesBeforeExpire = new Proxy(ns.redis, {
      get(target, property) {
        if (property === 'expire') return () => Promise.reject(new Error('the process died here'));
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Redis;
    await setList(crashesBeforeExpire, ns.key('users'), users, 60).catch(() => {});
    const ttl = await ns.redis.ttl(ns.key('users'));
    expect(
      ttl,
      'the list is there without a TTL (-1): EXPIRE was sent on its own after RPUSH, and a crash in between leaves a list that never expires. Queue DEL, RPUSH and EXPIRE in one redis.multi()',
    ).not.toBe(-1);
  });

  it('refuses an item JSON cannot hold, before anything is written', async () => {
    await expect(setList(ns.redis, ns.key('users'), [{ id: 1 }, { id: 2, roles: new Set(['admin']) }], 60)).rejects.toThrow(TypeError);
    expect(await ns.redis.exists(ns.key('users'))).toBe(0);
  });

  it('refuses an empty key, a bad TTL and a negative offset at the call, naming the call', async () => {
    await expect(setList(ns.redis, '', users, 60)).rejects.toThrow(/^setList: the key/);
    await expect(setList(ns.redis, ns.key('users'), users, 0)).rejects.toThrow(/^setList: ttlSeconds/);
    await expect(getListPage(ns.redis, '')).rejects.toThrow(/^getListPage: the key/);
    await expect(getListPage(ns.redis, ns.key('users'), { offset: -1, limit: 2 })).rejects.toThrow(RangeError);
  });

  it('treats a list it did not write (no marker) or an item that is not JSON as a miss, and deletes it', async () => {
    await ns.redis.rpush(ns.key('foreign'), '{"id":1}', '{"id":2}');
    await ns.redis.rpush(ns.key('garbage'), '<cachelings:list>', '{"id":1', '{"id":2}');
    for (const name of ['foreign', 'garbage']) {
      expect(await getListPage(ns.redis, ns.key(name))).toEqual({ hit: false });
      expect(await ns.redis.exists(ns.key(name))).toBe(0);
    }
  });

  it('answers the same pages as the source\'s one-JSON-value list (which reads all of it for every page)', async () => {
    await setList(ns.redis, ns.key('as-list'), users, 60);
    await ns.redis.set(ns.key('as-json'), JSON.stringify(users), 'EX', 60);
    for (const page of [{}, { offset: 0, limit: 3 }, { offset: 5, limit: 5 }, { offset: 9, limit: 1 }]) {
      expect(await getListPage(ns.redis, ns.key('as-list'), page)).toEqual(await getJsonListPage(ns.redis, ns.key('as-json'), page));
    }
  });

  it('stores and pages a list of 150,000 items (one rpush(...items) overflows the call stack: push in chunks, in the same MULTI)', async () => {
    const many = Array.from({ length: 150_000 }, (_, i) => i);
    await setList(ns.redis, ns.key('many'), many, 60);
    expect(await getListPage(ns.redis, ns.key('many'), { offset: 149_998, limit: 5 })).toEqual({ hit: true, items: [149_998, 149_999], total: 150_000 });
    expect(await getListPage(ns.redis, ns.key('many'), { offset: 999, limit: 2 })).toEqual({ hit: true, items: [999, 1_000], total: 150_000 });
    expect(await ns.redis.ttl(ns.key('many'))).toBeGreaterThan(0);
  }, 30_000);

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
});
