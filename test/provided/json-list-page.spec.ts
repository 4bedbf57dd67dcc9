import { describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { getJsonListPage } from '../../provided/json-list-page.js';
import { useRedis } from '../support/redis.js';

const ns = useRedis();
const items = [1, 2, 3, 4, 5];

describe('getJsonListPage: the source\'s list as one JSON value', () => {
  it('reads a page with offset and limit, and the whole list by default', async () => {
    await ns.redis.set(ns.key('list'), JSON.stringify(items));
    expect(await getJsonListPage(ns.redis, ns.key('list'), { offset: 1, limit: 2 })).toEqual({ hit: true, items: [2, 3], total: 5 });
    expect(await getJsonListPage(ns.redis, ns.key('list'))).toEqual({ hit: true, items, total: 5 });
  });

  it('is a miss for a key nobody wrote, and writes nothing', async () => {
    const unlink = vi.spyOn(ns.redis, 'unlink');
    expect(await getJsonListPage(ns.redis, ns.key('none'))).toEqual({ hit: false });
    expect(unlink).not.toHaveBeenCalled();
  });

  it('is a miss, deleted, for JSON that is not a list, bytes that are not JSON, and a key of another type', async () => {
    await ns.redis.set(ns.key('object'), '{"a":1}');
    await ns.redis.set(ns.key('garbage'), '[1, 2');
    await ns.redis.rpush(ns.key('list-type'), '1');
    for (const name of ['object', 'garbage', 'list-type']) {
      expect(await getJsonListPage(ns.redis, ns.key(name))).toEqual({ hit: false });
      expect(await ns.redis.exists(ns.key(name))).toBe(0);
    }
  });

  it('passes a Redis that is down on to the caller, and deletes nothing', async () => {
    const unlink = vi.fn();
    const down = { get: () => Promise.reject(new Error('Connection is closed.')), unlink } as unknown as Redis;
    await expect(getJsonListPage(down, 'k')).rejects.toThrow('Connection is closed.');
    expect(unlink).not.toHaveBeenCalled();
  });

  it('refuses an empty key and a bad page at the call', async () => {
    await expect(getJsonListPage(ns.redis, '')).rejects.toThrow('getJsonListPage: the key');
    await expect(getJsonListPage(ns.redis, ns.key('list'), { limit: -1 })).rejects.toThrow(RangeError);
  });
});
