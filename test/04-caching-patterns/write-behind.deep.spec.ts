import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, onTestFinished as onEnd, vi } from 'vitest';
import { getUser } from '@kata/04-caching-patterns/cache-aside.js';
import { checkQueueServer, WriteBehind } from '@kata/04-caching-patterns/write-behind.js';
import { onRealRedis, useRedis } from '../support/redis.js';
import { startRedisServer, type ThrowawayRedis } from '../support/redis-server.js';
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

describe('checkQueueServer (the queue must live on a Redis that does not evict it)', () => {
  /** A Redis that answers CONFIG GET maxmemory-policy with `policy`, or refuses CONFIG as an ACL would. */
  function configured(policy: string | Error): Redis {
    return {
      config: async (...args: string[]) => {
        if (policy instanceof Error) throw policy;
        expect(args.map((a) => a.toLowerCase())).toEqual(['get', 'maxmemory-policy']);
        return ['maxmemory-policy', policy];
      },
    } as unknown as Redis;
  }

  it('refuses a server that evicts any key (allkeys-*): the queue would go with the copies', async () => {
    for (const policy of ['allkeys-lru', 'allkeys-lfu', 'allkeys-random']) {
      await expect(checkQueueServer(configured(policy), () => {})).rejects.toThrow(/maxmemory-policy.*allkeys-/);
    }
  });

  it('accepts noeviction, and the volatile-* policies (they never evict a key without a TTL, as the queue is), without a warning', async () => {
    const warn = vi.fn();
    for (const policy of ['noeviction', 'volatile-lru', 'volatile-ttl']) await checkQueueServer(configured(policy), warn);
    expect(warn).not.toHaveBeenCalled();
  });

  it('warns, and does not fail, when the server will not say (CONFIG refused by an ACL)', async () => {
    const warn = vi.fn();
    const refused = new Error("NOPERM this user has no permissions to run the 'config|get' command");
    await expect(checkQueueServer(configured(refused), warn)).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/maxmemory-policy.*NOPERM/));
  });

  it('warns, and does not fail, when the server does not know the setting (CONFIG GET answers an empty list)', async () => {
    const warn = vi.fn();
    const silent = { config: async () => [] } as unknown as Redis;
    await expect(checkQueueServer(silent, warn)).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/maxmemory-policy/));
  });
});

describe('the queue on a Redis that runs out of memory (a redis-server of the spec\'s own)', () => {
  let server: ThrowawayRedis | undefined;
  afterEach(async () => {
    await server?.kill();
    server = undefined;
  });

  /** A redis-server of this test's with 1 MB over what an empty one uses, under `policy`, and a WriteBehind with 100 queued writes. */
  async function queueOn(policy: string): Promise<{ redis: Redis; writer: WriteBehind }> {
    server = await startRedisServer(['--maxmemory-policy', policy]);
    const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
    redis.on('error', () => {});
    onEnd(() => redis.disconnect());
    const used = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
    await redis.config('SET', 'maxmemory', String(used + 1_000_000));
    const writer = new WriteBehind({ redis, users: openDatabase(), prefix: 'app:', ttlSeconds });
    await writeMany(writer, 100, 100);
    return { redis, writer };
  }

  /** SET … EX 300 copies, 1,000 per pipeline, until `done` says so, Redis refuses some, or 100,000 were sent; what Redis refused them with. */
  async function flood(redis: Redis, done: () => Promise<boolean>): Promise<Error[]> {
    const errors: Error[] = [];
    for (let batch = 0; batch < 100 && errors.length === 0 && !(await done()); batch++) {
      const pipeline = redis.pipeline();
      for (let i = 0; i < 1_000; i++) pipeline.set(`app:copy:${batch}:${i}`, 'x'.repeat(100), 'EX', 300);
      for (const [error] of (await pipeline.exec())!) if (error) errors.push(error);
    }
    return errors;
  }

  onRealRedis('it starts a redis-server of its own with a small maxmemory')('under allkeys-lru, a flood of cache copies evicts the queue: 100 writes acknowledged as saved are gone', async () => {
    const { redis, writer } = await queueOn('allkeys-lru');
    expect(await writer.pending()).toBe(100);
    await expect(checkQueueServer(redis, () => {})).rejects.toThrow(/allkeys-lru/);
    await flood(redis, async () => (await writer.pending()) < 100);
    expect(await writer.pending()).toBe(0); // the whole hash, one key, evicted silently: no write failed
    expect(Number(/evicted_keys:(\d+)/.exec(await redis.info('stats'))![1])).toBeGreaterThan(0);
  }, 60_000);

  onRealRedis('it starts a redis-server of its own with a small maxmemory')('under noeviction, the flood fails with OOM instead, the queue is whole, and a new write fails where its caller sees it', async () => {
    const { redis, writer } = await queueOn('noeviction');
    await checkQueueServer(redis, () => {});
    const errors = await flood(redis, async () => false);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]!.message).toMatch(/^OOM/);
    expect(await writer.pending()).toBe(100);
    await expect(writer.write(user(101))).rejects.toThrow(); // refused (EXECABORT: its MULTI's commands were refused with OOM)
    expect(await writer.pending()).toBe(100);
  }, 60_000);
});
