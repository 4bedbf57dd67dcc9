import { describe, expect, it } from 'vitest';
import { acquireLock, releaseLock } from '@kata/10-stampede/redis-lock.js';
import { useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';
import { useConnections } from './connections.js';

const ns = useRedis();
const connections = useConnections(ns);

describe('acquireLock and releaseLock', () => {
  it('gives the lock to exactly one of 10 app instances asking at once (one atomic SET NX PX, not GET then SET)', async () => {
    const clients = await connections(10);
    const locks = await Promise.all(clients.map((c) => acquireLock(c, ns.key('lock'), 5_000)));
    expect(locks.filter((l) => l !== null)).toHaveLength(1);
  });

  it('frees itself: the lock key carries the TTL it was given', async () => {
    await acquireLock(ns.redis, ns.key('lock'), 5_000);
    const pttl = await ns.redis.pttl(ns.key('lock'));
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(5_000);
  });

  it('release frees a lock we hold, so the next caller gets it', async () => {
    const lock = await acquireLock(ns.redis, ns.key('lock'), 5_000);
    expect(lock).not.toBeNull();
    expect(await releaseLock(ns.redis, lock!)).toBe(true);
    expect(await acquireLock(ns.redis, ns.key('lock'), 5_000)).not.toBeNull();
  });

  it('release never deletes a lock someone else holds now (ours expired and passed on): compare-and-delete', async () => {
    const ours = await acquireLock(ns.redis, ns.key('lock'), 5_000);
    await ns.redis.del(ns.key('lock')); // as if our TTL ran out while we were still loading
    const theirs = await acquireLock(ns.redis, ns.key('lock'), 5_000);
    expect(theirs).not.toBeNull();
    expect(await releaseLock(ns.redis, ours!)).toBe(false);
    expect(await ns.redis.get(ns.key('lock'))).toBe(theirs!.token);
  });

  it('gives every acquisition a different token, one nobody can guess from the time', async () => {
    const a = await acquireLock(ns.redis, ns.key('a'), 5_000);
    const b = await acquireLock(ns.redis, ns.key('b'), 5_000);
    expect(a!.token).not.toBe(b!.token);
    expect(a!.token).not.toContain(String(Date.now()).slice(0, 8));
  });

  it('refuses an empty key (TypeError) and a TTL PX cannot take (RangeError), before Redis is asked', async () => {
    await expectRefusal(() => acquireLock(ns.redis, '', 5_000), TypeError, 'key');
    for (const ttlMs of [0, 1.5, Number.NaN]) await expectRefusal(() => acquireLock(ns.redis, ns.key('lock'), ttlMs), RangeError, 'ttlMs');
    expect(await ns.redis.exists(ns.key('lock'))).toBe(0);
  });
});
