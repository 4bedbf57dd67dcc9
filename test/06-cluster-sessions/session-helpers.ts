/** What the session specs share: a fake clock, a cart with typed data, the keys the contract fixes, and a way to land a call between two of a store's commands. */
import { createHash } from 'node:crypto';
import { afterEach } from 'vitest';
import type { Cluster, Redis } from 'ioredis';
import type { SessionStoreOptions } from '../../provided/session-parts.js';
import type { RedisNamespace } from '../support/redis.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const start = Date.UTC(2026, 0, 1, 9, 0, 0);

/** The specs' clock: `time.now` is what the store reads; each test starts at `start` (storesOf resets it). */
export const time = { now: start };
export const clock = () => time.now;

export interface Cart {
  items: Map<string, number>;
  lastOrder: Date | null;
  credit: bigint;
}
export const cart = (): Cart => ({ items: new Map([['lamp', 2]]), lastOrder: new Date(Date.UTC(2025, 11, 24, 18, 30)), credit: 12n });

export const TOKEN = /^[A-Za-z0-9_-]{43}$/;
export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

type StoreClass<S> = new (redis: Redis | Cluster, options: SessionStoreOptions) => S;

/** Makes stores of one step's class on the test's Redis, with a 30-minute idle timeout, an 8-hour lifetime and the fake clock. */
export function storesOf<S>(Store: StoreClass<S>, ns: RedisNamespace) {
  // Here, not at the top of this module: spec files may share one module instance.
  afterEach(() => {
    time.now = start;
  });
  return (options: Partial<SessionStoreOptions> = {}, redis: Redis | Cluster = ns.redis): S =>
    new Store(redis, { prefix: ns.prefix, idleTimeoutMs: 30 * MINUTE, absoluteTimeoutMs: 8 * HOUR, now: clock, ...options });
}

export const sessionKey = (ns: RedisNamespace, token: string) => `${ns.prefix}session:${sha256(token)}`;
export const indexKey = (ns: RedisNamespace, userId: string) => `${ns.prefix}user:${userId}:sessions`;

/** Every key under the test's prefix with its value (strings only), without KEYS. */
export async function dump(ns: RedisNamespace): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, keys] = await ns.redis.scan(cursor, 'MATCH', `${ns.prefix}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      // (ioredis-mock does not call a Buffer value a 'string')
      const isIndex = (await ns.redis.type(key)) === 'zset';
      out.set(key, isIndex ? (await ns.redis.zrange(key, 0, -1)).join(',') : ((await ns.redis.getBuffer(key)) ?? Buffer.alloc(0)).toString('latin1'));
    }
  } while (cursor !== '0');
  return out;
}

/**
 * The client, except that `meanwhile` runs (once) right after the `nth` answer
 * of one of `commands`, before the store's next command goes out. A MULTI
 * counts as the command 'multi' and answers when its exec does.
 */
export function raceAfter(commands: string[], redis: Redis, meanwhile: () => Promise<unknown>, nth = 1): Redis {
  let seen = 0;
  let state: 'waiting' | 'armed' | 'done' = 'waiting';
  const answered = () => {
    seen += 1;
    if (state === 'waiting' && seen === nth) state = 'armed';
  };
  const fire = async () => {
    if (state !== 'armed') return;
    state = 'done';
    await meanwhile();
  };
  return new Proxy(redis, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = (value as (...a: unknown[]) => unknown).bind(target);
      if (property === 'multi' || property === 'pipeline') {
        // These are built synchronously; hold back their exec instead.
        return (...args: unknown[]) => {
          const batch = method(...args) as { exec: (...a: unknown[]) => Promise<unknown> };
          const exec = batch.exec.bind(batch);
          batch.exec = async (...a: unknown[]) => {
            await fire();
            const answer = await exec(...a);
            if (commands.includes(String(property))) answered();
            return answer;
          };
          return batch;
        };
      }
      return async (...args: unknown[]) => {
        await fire();
        const answer = await method(...args);
        if (commands.includes(String(property))) answered();
        return answer;
      };
    },
  });
}
