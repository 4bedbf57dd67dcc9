import { describe, expect, it, vi } from 'vitest';
import { acquireLock, MAX_LOCK_MS, releaseLock } from '@kata/10-stampede/redis-lock.js';
import { useRedis } from '../support/redis.js';

const ns = useRedis();

describe('acquireLock and releaseLock, in depth', () => {
  it('uses an unguessable token: at least 128 random bits (22 characters of base64url)', async () => {
    const tokens = new Set<string>();
    for (let i = 0; i < 50; i++) tokens.add((await acquireLock(ns.redis, ns.key('t', i), 5_000))!.token);
    expect(tokens.size).toBe(50);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{22,}$/);
  });

  it.each([1, MAX_LOCK_MS])('accepts a lock TTL of %s ms, the shortest and the longest a timer keeps', async (ttlMs) => {
    expect(await acquireLock(ns.redis, ns.key('lock'), ttlMs)).not.toBeNull();
  });

  it('answers null (not an error) while someone else holds the lock, and leaves their token alone', async () => {
    await ns.redis.set(ns.key('lock'), 'theirs', 'PX', 60_000);
    expect(await acquireLock(ns.redis, ns.key('lock'), 5_000)).toBeNull();
    expect(await ns.redis.get(ns.key('lock'))).toBe('theirs');
  });

  it('release of a lock that expired and nobody took answers false and deletes nothing', async () => {
    const ours = await acquireLock(ns.redis, ns.key('lock'), 5_000);
    await ns.redis.del(ns.key('lock'));
    expect(await releaseLock(ns.redis, ours!)).toBe(false);
  });

  it('releases in one step (a script), never a GET then a DEL that another holder could slip between', async () => {
    const lock = await acquireLock(ns.redis, ns.key('lock'), 5_000);
    const del = vi.spyOn(ns.redis, 'del');
    const unlink = vi.spyOn(ns.redis, 'unlink');
    expect(await releaseLock(ns.redis, lock!)).toBe(true);
    expect(del).not.toHaveBeenCalled();
    expect(unlink).not.toHaveBeenCalled();
  });

  it('refuses an empty lock key, naming acquireLock', async () => {
    await expect(acquireLock(ns.redis, '', 5_000)).rejects.toThrow(/^acquireLock: the key must be a non-empty string/);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31])('refuses a lock TTL of %s ms with the exact message, before Redis is asked', async (ttlMs) => {
    await expect(acquireLock(ns.redis, ns.key('lock'), ttlMs)).rejects.toThrow(
      new RangeError(`acquireLock: ttlMs must be a whole number of milliseconds from 1 to ${MAX_LOCK_MS}, got ${ttlMs}`),
    );
    expect(await ns.redis.exists(ns.key('lock'))).toBe(0);
  });
});
