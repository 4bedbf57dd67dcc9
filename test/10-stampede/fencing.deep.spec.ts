import { describe, expect, it, vi } from 'vitest';
import { invalidate, writeWhileLocked } from '@kata/10-stampede/fencing.js';
import { acquireLock, releaseLock } from '../../provided/redis-lock.js';
import { MAX_TTL_SECONDS } from '../../provided/json-cache.js';
import { useRedis } from '../support/redis.js';

const ns = useRedis();

describe('writeWhileLocked, in depth', () => {
  it('stores bytes exactly: a Buffer with NUL and 0xff comes back the same', async () => {
    const lock = await acquireLock(ns.redis, ns.key('k:lock'), 5_000);
    const bytes = Buffer.from([0, 255, 10, 13, 0x7b, 0x22]);
    expect(await writeWhileLocked(ns.redis, lock!, ns.key('k'), bytes, 60)).toBe(true);
    expect((await ns.redis.getBuffer(ns.key('k')))!.equals(bytes)).toBe(true);
  });

  it('checks and writes in one step (a script): never a GET of the lock then a SET another holder could slip between', async () => {
    const lock = await acquireLock(ns.redis, ns.key('k:lock'), 5_000);
    const set = vi.spyOn(ns.redis, 'set');
    const get = vi.spyOn(ns.redis, 'get');
    expect(await writeWhileLocked(ns.redis, lock!, ns.key('k'), 'v', 60)).toBe(true);
    expect(set).not.toHaveBeenCalled();
    expect(get).not.toHaveBeenCalled();
  });

  it('refuses a lock with the right key but another token, and a lock that was released', async () => {
    const lock = await acquireLock(ns.redis, ns.key('k:lock'), 5_000);
    expect(await writeWhileLocked(ns.redis, { key: lock!.key, token: 'guessed' }, ns.key('k'), 'v', 60)).toBe(false);
    await releaseLock(ns.redis, lock!);
    expect(await writeWhileLocked(ns.redis, lock!, ns.key('k'), 'v', 60)).toBe(false);
    expect(await ns.redis.exists(ns.key('k'))).toBe(0);
  });

  it('replaces whatever the key held, of any type: a foreign value is healed by the holder', async () => {
    await ns.redis.rpush(ns.key('k'), 'a list someone pushed');
    const lock = await acquireLock(ns.redis, ns.key('k:lock'), 5_000);
    expect(await writeWhileLocked(ns.redis, lock!, ns.key('k'), 'v', 60)).toBe(true);
    expect(await ns.redis.get(ns.key('k'))).toBe('v');
  });

  it('accepts the longest TTL the kata allows', async () => {
    const lock = await acquireLock(ns.redis, ns.key('k:lock'), 5_000);
    expect(await writeWhileLocked(ns.redis, lock!, ns.key('k'), 'v', MAX_TTL_SECONDS)).toBe(true);
  });

  it('refuses an empty key or a bad TTL with the exact messages, naming writeWhileLocked, before Redis is asked', async () => {
    const lock = await acquireLock(ns.redis, ns.key('k:lock'), 5_000);
    await expect(writeWhileLocked(ns.redis, lock!, '', 'v', 60)).rejects.toThrow(/^writeWhileLocked: the key must be a non-empty string/);
    for (const ttl of [0, 1.5, Number.NaN]) {
      await expect(writeWhileLocked(ns.redis, lock!, ns.key('k'), 'v', ttl)).rejects.toThrow(/^writeWhileLocked: ttlSeconds must be a whole number of seconds/);
    }
    expect(await ns.redis.exists(ns.key('k'))).toBe(0);
  });
});

describe('invalidate, in depth', () => {
  it('removes the value and the lock in one command (UNLINK of both), so no write can fall between the two', async () => {
    await ns.redis.set(ns.key('k'), 'v');
    await acquireLock(ns.redis, ns.key('k:lock'), 5_000);
    const unlink = vi.spyOn(ns.redis, 'unlink');
    await invalidate(ns.redis, ns.key('k'));
    expect(unlink).toHaveBeenCalledTimes(1);
    expect(unlink).toHaveBeenCalledWith(ns.key('k'), ns.key('k:lock'));
  });

  it('is harmless on a key that has no value and no lock', async () => {
    await expect(invalidate(ns.redis, ns.key('nothing'))).resolves.toBeUndefined();
  });

  it('refuses an empty key, naming invalidate', async () => {
    await expect(invalidate(ns.redis, '')).rejects.toThrow(/^invalidate: the key must be a non-empty string/);
  });
});
