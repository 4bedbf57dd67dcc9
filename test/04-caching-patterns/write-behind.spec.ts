import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getUser } from '@kata/04-caching-patterns/cache-aside.js';
import { WriteBehind } from '@kata/04-caching-patterns/write-behind.js';
import { UserRepository, type User } from '../../provided/user-repository.js';
import { useRedis } from '../support/redis.js';
import { failing, ttlSeconds, user } from './helpers.js';

const ns = useRedis();
const cleanups: Array<() => void> = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A database in a file, so that a second "process" (another repository on the same file) finds what the first committed. */
function databaseFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cachelings-04-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'users.db');
}

function openDatabase(filename?: string): UserRepository {
  const users = new UserRepository({ filename });
  cleanups.unshift(() => users.close()); // closed before its folder is removed
  return users;
}

function writeBehind(users: UserRepository, redis = ns.redis, batchSize = 500): WriteBehind {
  return new WriteBehind({ redis, users, prefix: ns.prefix, ttlSeconds, batchSize });
}

/** Kills the flusher inside its `batch`-th upsertMany, after the first `rowsCommitted` rows of it are in the database. */
function dieDuringBatch(users: UserRepository, batch: number, rowsCommitted: number): void {
  const upsertMany = users.upsertMany.bind(users);
  let batches = 0;
  vi.spyOn(users, 'upsertMany').mockImplementation(async (rows) => {
    if (++batches < batch) return upsertMany(rows);
    await upsertMany(rows.slice(0, rowsCommitted));
    throw new Error('flusher killed');
  });
}

/** Writes 0..count-1 spread over `userCount` users (write i renames user i % userCount + 1 to "v<i>"); returns each user's last version. */
async function writeMany(writer: WriteBehind, count: number, userCount: number, from = 0): Promise<Map<number, User>> {
  const latest = new Map<number, User>();
  for (let i = from; i < from + count; i++) {
    const row = user((i % userCount) + 1, `v${i}`);
    await writer.write(row);
    latest.set(row.id, row);
  }
  return latest;
}

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
    await expect(writer.flush()).rejects.toThrow('flusher killed');
    expect(await ns.redis.hlen(`${ns.prefix}write-behind:flushing`)).toBe(3);
    expect(await ns.redis.exists(`${ns.prefix}write-behind:dirty`)).toBe(0);
  });

  it('counts as pending both the rows a crashed flush left behind and the writes queued since', async () => {
    const users = openDatabase();
    dieDuringBatch(users, 1, 0);
    const writer = writeBehind(users, ns.redis, 10);
    await writeMany(writer, 4, 4); // users 1..4
    await expect(writer.flush()).rejects.toThrow('flusher killed');
    await writer.write(user(50));
    await writer.write(user(51));
    expect(await writer.pending()).toBe(4 + 2);
    vi.mocked(users.upsertMany).mockRestore();
    expect(await writer.flush()).toBe(4 + 2);
    expect(await writer.pending()).toBe(0);
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
      await expect(writeBehind(dying, ns.redis, 200).flush()).rejects.toThrow('flusher killed');
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
