import { describe, expect, it, vi } from 'vitest';
import { getUser } from '@kata/04-caching-patterns/cache-aside.js';
import { WriteBehind } from '@kata/04-caching-patterns/write-behind.js';
import { useRedis } from '../support/redis.js';
import { failing, ttlSeconds, user } from './helpers.js';
import { dieDuringBatch, flusherKilled, useDatabases, writeMany } from './write-behind-helpers.js';

const ns = useRedis();
const { openDatabase, writeBehind } = useDatabases(ns);

describe('WriteBehind, the corners', () => {
  it('rejects a batchSize that is not a positive integer with a RangeError naming it and the value', () => {
    expect(() => writeBehind(openDatabase(), ns.redis, 0)).toThrow(RangeError);
    expect(() => writeBehind(openDatabase(), ns.redis, 2.5)).toThrow(/batchSize .*got 2\.5/);
  });

  it('takes a batchSize of 1: every row is its own transaction', async () => {
    const users = openDatabase();
    const upsertMany = vi.spyOn(users, 'upsertMany');
    const writer = writeBehind(users, ns.redis, 1);
    await writeMany(writer, 3, 3);
    expect(await writer.flush()).toBe(3);
    expect(upsertMany.mock.calls.map(([rows]) => rows.length)).toEqual([1, 1, 1]);
  });

  it('rejects a TTL Redis cannot store (0, 1e20) at construction, and takes 1', () => {
    const users = openDatabase();
    for (const bad of [0, 1e20]) expect(() => new WriteBehind({ redis: ns.redis, users, prefix: ns.prefix, ttlSeconds: bad })).toThrow(/^WriteBehind: ttlSeconds/);
    expect(() => new WriteBehind({ redis: ns.redis, users, prefix: ns.prefix, ttlSeconds: 1 })).not.toThrow();
  });

  it('fails the write when Redis takes only part of the MULTI (the queue holds another type), and leaves no cached copy the database will never get', async () => {
    const users = openDatabase();
    await ns.redis.set(`${ns.prefix}write-behind:dirty`, 'not a hash');
    const writer = writeBehind(users);
    await expect(writer.write(user(1, 'Ann'))).rejects.toThrow(/WRONGTYPE/);
    expect(await getUser({ redis: ns.redis, users, prefix: ns.prefix, ttlSeconds }, 1)).toBeNull();
  });

  it('still fails with Redis\'s error when the clean-up of a half-applied write fails too, and reports the clean-up to onCacheError', async () => {
    const users = openDatabase();
    await ns.redis.set(`${ns.prefix}write-behind:dirty`, 'not a hash');
    const onCacheError = vi.fn();
    const redis = failing(ns.redis, 'unlink');
    const withHandler = new WriteBehind({ redis, users, prefix: ns.prefix, ttlSeconds, onCacheError });
    await expect(withHandler.write(user(1))).rejects.toThrow(/WRONGTYPE/);
    expect(onCacheError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/unlink failed/) }));
    await expect(writeBehind(users, redis).write(user(2))).rejects.toThrow(/WRONGTYPE/);
  });

  it('leaves what a crashed flush took in <prefix>write-behind:flushing, the layout the README documents', async () => {
    const users = openDatabase();
    dieDuringBatch(users, 1, 0);
    const writer = writeBehind(users);
    await writeMany(writer, 3, 3);
    await expect(writer.flush()).rejects.toBe(flusherKilled);
    expect(await ns.redis.hlen(`${ns.prefix}write-behind:flushing`)).toBe(3);
    expect(await ns.redis.exists(`${ns.prefix}write-behind:dirty`)).toBe(0);
  });

  it('fails with Redis\'s error, not the handler\'s, when the clean-up fails and onCacheError itself throws', async () => {
    const users = openDatabase();
    await ns.redis.set(`${ns.prefix}write-behind:dirty`, 'not a hash');
    const onCacheError = () => {
      throw new Error('logger down');
    };
    const writer = new WriteBehind({ redis: failing(ns.redis, 'unlink'), users, prefix: ns.prefix, ttlSeconds, onCacheError });
    await expect(writer.write(user(1))).rejects.toThrow(/WRONGTYPE/);
  });
});
