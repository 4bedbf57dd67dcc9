/**
 * What the lesson 04 specs share: a cache over a fresh database, a Redis that
 * fails on demand, and a gate that holds a slow database answer until the spec
 * lets it go (races without sleeps).
 */
import type { Redis } from 'ioredis';
import type { RedisNamespace } from '../support/redis.js';
import { UserRepository, type Query, type User } from '../../provided/user-repository.js';
import type { UserCache } from '@kata/04-caching-patterns/cache-aside.js';

export const ttlSeconds = 300;

export function user(id: number, name = `user ${id}`): User {
  return { id, name, email: `${id}@example.com` };
}

/** A UserCache on this test's prefix, over a new in-memory database holding users 1..seeded. */
export async function userCache(ns: RedisNamespace, seeded = 0, overrides: Partial<UserCache> = {}): Promise<UserCache> {
  const users = overrides.users ?? new UserRepository();
  await users.upsertMany(Array.from({ length: seeded }, (_, i) => user(i + 1)));
  users.resetQueries();
  return { redis: ns.redis, users, prefix: ns.prefix, ttlSeconds, ...overrides };
}

/**
 * The same client, except that the named commands fail (all of them when none
 * are named), as they do while Redis is down or refuses a write.
 */
export function failing(redis: Redis, ...commands: string[]): Redis {
  return new Proxy(redis, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const name = String(property);
      if (commands.length > 0 && !commands.includes(name)) return value.bind(target);
      // As ioredis does it: a transaction queues its commands, and exec() rejects.
      if (name === 'multi' || name === 'pipeline') return () => failingTransaction(name);
      return () => Promise.reject(closed(name));
    },
  });
}

function closed(command: string): Error {
  return new Error(`Connection is closed (${command} failed on purpose)`);
}

function failingTransaction(name: string): unknown {
  const transaction: unknown = new Proxy(
    {},
    { get: (_, property) => (property === 'exec' ? () => Promise.reject(closed(name)) : () => transaction) },
  );
  return transaction;
}

export interface Gate {
  /** Resolves when the held query has run and waits for its answer to travel back. */
  reached: Promise<void>;
  /** Lets the held answer arrive. */
  release(): void;
  /** The repository's latency hook: holds the first query that `matches`, once. */
  latency(query: Query): Promise<void> | undefined;
}

export function gate(matches: (query: Query) => boolean): Gate {
  let reach!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  let used = false;
  return {
    reached,
    release,
    latency(query) {
      if (used || !matches(query)) return undefined;
      used = true;
      reach();
      return released;
    },
  };
}
