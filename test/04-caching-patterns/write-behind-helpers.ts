/**
 * What the write-behind specs share: databases that a second "process" can
 * open again, a WriteBehind on the test's prefix, a flusher that dies on cue,
 * and a stream of writes whose last versions are known.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { afterEach, vi } from 'vitest';
import { WriteBehind } from '@kata/04-caching-patterns/write-behind.js';
import { UserRepository, type User } from '../../provided/user-repository.js';
import type { RedisNamespace } from '../support/redis.js';
import { ttlSeconds, user } from './helpers.js';

export interface Databases {
  /** A database in a file, so that a second "process" (another repository on the same file) finds what the first committed. */
  databaseFile(): string;
  /** A repository, closed after the test; in memory unless a file is given. */
  openDatabase(filename?: string): UserRepository;
  /** A WriteBehind on the test's prefix. */
  writeBehind(users: UserRepository, redis?: Redis, batchSize?: number): WriteBehind;
}

export function useDatabases(ns: RedisNamespace): Databases {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
  return {
    databaseFile() {
      const dir = mkdtempSync(path.join(tmpdir(), 'cachelings-04-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      return path.join(dir, 'users.db');
    },
    openDatabase(filename) {
      const users = new UserRepository({ filename });
      cleanups.unshift(() => users.close()); // closed before its folder is removed
      return users;
    },
    writeBehind(users, redis = ns.redis, batchSize = 500) {
      return new WriteBehind({ redis, users, prefix: ns.prefix, ttlSeconds, batchSize });
    },
  };
}

/** What a flusher killed by dieDuringBatch rejects with. */
export const flusherKilled = new Error('flusher killed');

/** Kills the flusher inside its `batch`-th upsertMany, after the first `rowsCommitted` rows of it are in the database. */
export function dieDuringBatch(users: UserRepository, batch: number, rowsCommitted: number): void {
  const upsertMany = users.upsertMany.bind(users);
  let batches = 0;
  vi.spyOn(users, 'upsertMany').mockImplementation(async (rows) => {
    if (++batches < batch) return upsertMany(rows);
    await upsertMany(rows.slice(0, rowsCommitted));
    throw flusherKilled;
  });
}

/** Writes 0..count-1 spread over `userCount` users (write i renames user i % userCount + 1 to "v<i>"); returns each user's last version. */
export async function writeMany(writer: WriteBehind, count: number, userCount: number, from = 0): Promise<Map<number, User>> {
  const latest = new Map<number, User>();
  for (let i = from; i < from + count; i++) {
    const row = user((i % userCount) + 1, `v${i}`);
    await writer.write(row);
    latest.set(row.id, row);
  }
  return latest;
}
