import { describe, expect, it, vi } from 'vitest';
import { getUser } from '@kata/04-caching-patterns/cache-aside.js';
import { WriteBehind } from '@kata/04-caching-patterns/write-behind.js';
import { type User } from '../../provided/user-repository.js';
import { useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';
import { failing, ttlSeconds, user } from './helpers.js';
import { dieDuringBatch, flusherKilled, useDatabases, writeMany } from './write-behind-helpers.js';

const ns = useRedis();
const { databaseFile, openDatabase, writeBehind } = useDatabases(ns);

describe('WriteBehind (write-behind, source 4.3)', () => {
  it('a write is in the cache at once, and in the database after a flush', async () => {
    const users = openDatabase();
    const writer = writeBehind(users);
    await writer.write(user(1, 'Ann'));
    expect(await users.get(1)).toBeNull();
    expect(await getUser({ redis: ns.redis, users, prefix: ns.prefix, ttlSeconds }, 1)).toEqual(user(1, 'Ann'));
    expect(await writer.flush()).toBeGreaterThan(0);
    expect(await users.get(1)).toEqual(user(1, 'Ann'));
    expect(await writer.pending()).toBe(0);
  });

  it('keeps its queue in Redis: after a restart, a new WriteBehind flushes what the old one queued (the source\'s list dies with the process)', async () => {
    const users = openDatabase();
    await writeMany(writeBehind(users), 3, 3);
    const afterRestart = writeBehind(users, await ns.connect());
    expect(await afterRestart.pending()).toBe(3);
    await afterRestart.flush();
    expect(await users.count()).toBe(3);
  });

  it('coalesces per user: 1,000 writes of one user before a flush cost one row write, the last', async () => {
    const users = openDatabase();
    const writer = writeBehind(users);
    await writeMany(writer, 1_000, 1);
    users.resetQueries();
    await writer.flush();
    expect(users.queries).toBe(1);
    expect(await users.get(1)).toEqual(user(1, 'v999'));
  });

  it('flushes in batches: 1,200 users with batchSize 500 are three transactions of 500, 500 and 200', async () => {
    const users = openDatabase();
    const upsertMany = vi.spyOn(users, 'upsertMany');
    const writer = writeBehind(users, ns.redis, 500);
    await writeMany(writer, 1_200, 1_200);
    await writer.flush();
    expect(upsertMany.mock.calls.map(([rows]) => rows.length).sort()).toEqual([200, 500, 500]);
    expect(users.queries).toBe(1_200);
  });

  it('does not lose a write that arrives while a flush is running: the next flush writes it', async () => {
    const users = openDatabase();
    const writer = writeBehind(users);
    await writer.write(user(1, 'first'));
    const upsertMany = users.upsertMany.bind(users);
    vi.spyOn(users, 'upsertMany').mockImplementationOnce(async (rows) => {
      await writer.write(user(1, 'during the flush'));
      return upsertMany(rows);
    });
    await writer.flush();
    await writer.flush();
    expect(await users.get(1)).toEqual(user(1, 'during the flush'));
    expect(await writer.pending()).toBe(0);
  });

  it('refuses a bad row at write(), before it can reach the queue and poison every flush', async () => {
    const writer = writeBehind(openDatabase());
    await expect(writer.write({ id: 0, name: 'x', email: 'y' })).rejects.toThrow(TypeError);
    await expect(writer.write({ id: 1 } as User)).rejects.toThrow(TypeError);
    expect(await writer.pending()).toBe(0);
  });

  it('fails the write when Redis is down: the queue is Redis, and a write it did not take must not look saved', async () => {
    const users = openDatabase();
    await expect(writeBehind(users, failing(ns.redis)).write(user(1))).rejects.toThrow();
    expect(await writeBehind(users).pending()).toBe(0);
  });

  it('gives the cached copy the TTL: a written user is cached for at most ttlSeconds', async () => {
    const writer = writeBehind(openDatabase());
    await writer.write(user(1, 'Ann'));
    const ttl = await ns.redis.ttl(`${ns.prefix}user:1`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(ttlSeconds);
  });

  it('flushes an empty queue: writes nothing, returns 0, and does not fail (RENAMENX of a missing key is an error in Redis)', async () => {
    const users = openDatabase();
    const writer = writeBehind(users);
    expect(await writer.flush()).toBe(0);
    await writer.write(user(1));
    await writer.flush();
    expect(await writer.flush()).toBe(0);
    expect(await users.count()).toBe(1);
  });

  it('counts as pending both the rows a crashed flush left behind and the writes queued since', async () => {
    const users = openDatabase();
    dieDuringBatch(users, 1, 0);
    const writer = writeBehind(users, ns.redis, 10);
    await writeMany(writer, 4, 4); // users 1..4
    await expect(writer.flush()).rejects.toBe(flusherKilled);
    await writer.write(user(50));
    await writer.write(user(51));
    expect(await writer.pending()).toBe(4 + 2);
    vi.mocked(users.upsertMany).mockRestore();
    expect(await writer.flush()).toBe(4 + 2);
    expect(await writer.pending()).toBe(0);
  });

  it('refuses a batchSize that is not a positive integer and a bad TTL (RangeError, naming each) at construction', async () => {
    const users = openDatabase();
    for (const bad of [0, 2.5]) await expectRefusal(() => writeBehind(users, ns.redis, bad), RangeError, 'batchSize');
    await expectRefusal(() => new WriteBehind({ redis: ns.redis, users, prefix: ns.prefix, ttlSeconds: 0 }), RangeError, 'ttlSeconds');
  });
});

describe('WriteBehind when the flusher dies (3,000 writes over 1,000 users, batches of 200)', () => {
  for (const [when, rowsCommitted] of [
    ['in the middle of a batch (80 of its 200 rows committed)', 80],
    ['after committing a batch, before acknowledging it', 200],
  ] as const) {
    it(`killed ${when}: a restarted flusher writes every user exactly once, with its last version`, async () => {
      const file = databaseFile();
      const dying = openDatabase(file);
      dieDuringBatch(dying, 3, rowsCommitted);
      const latest = await writeMany(writeBehind(dying, ns.redis, 200), 3_000, 1_000);
      await expect(writeBehind(dying, ns.redis, 200).flush()).rejects.toBe(flusherKilled);
      dying.close();

      // The service keeps taking writes while no flusher runs; some of them are newer versions of rows in the dead batch.
      const restarted = openDatabase(file);
      const flusher = writeBehind(restarted, await ns.connect(), 200);
      for (const [id, row] of await writeMany(flusher, 300, 1_000, 3_000)) latest.set(id, row);
      await flusher.flush();

      expect(await restarted.count()).toBe(1_000);
      expect(await restarted.all()).toEqual([...latest.values()].sort((a, b) => a.id - b.id));
      expect(await flusher.pending()).toBe(0);
    }, 30_000); // 3,300 writes: seconds on a busy machine, not a hang
  }
});
