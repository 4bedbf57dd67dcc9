import { describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { getJsonListPage, getListPage, setList } from '@kata/03-redis-caching/list-cache.js';
import { useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';

const users = Array.from({ length: 7 }, (_, i) => ({ id: i + 1, name: `user ${i + 1}` }));

describe('setList / getListPage: a list as a Redis LIST (source 3.4)', () => {
  const ns = useRedis();

  it('reads a list nobody cached as a miss, and writes nothing for it', async () => {
    const unlink = vi.spyOn(ns.redis, 'unlink');
    expect(await getListPage(ns.redis, ns.key('users'))).toEqual({ hit: false });
    expect(unlink).not.toHaveBeenCalled();
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
    await expectRefusal(() => setList(ns.redis, ns.key('users'), [{ id: 1 }, { id: 2, roles: new Set(['admin']) }], 60), TypeError, 'value');
    expect(await ns.redis.exists(ns.key('users'))).toBe(0);
  });

  it('refuses an empty key, a bad TTL and a negative offset at the call, naming each', async () => {
    await expectRefusal(() => setList(ns.redis, '', users, 60), TypeError, 'key');
    await expectRefusal(() => setList(ns.redis, ns.key('users'), users, 0), RangeError, 'ttlSeconds');
    await expectRefusal(() => getListPage(ns.redis, ''), TypeError, 'key');
    await expectRefusal(() => getListPage(ns.redis, ns.key('users'), { offset: -1, limit: 2 }), RangeError, 'offset');
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

});
