import { describe, expect, it, vi } from 'vitest';
import { invalidate, writeWhileLocked } from '@kata/10-stampede/fencing.js';
import { acquireLock } from '../../provided/redis-lock.js';
import { useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';

const ns = useRedis();

/** Resolves once Redis has expired the key (a lock whose TTL ran out). */
async function expired(key: string): Promise<void> {
  await vi.waitFor(async () => expect(await ns.redis.exists(key)).toBe(0), { timeout: 1_000, interval: 2 });
}

describe('writeWhileLocked: a write only while the lock is still ours', () => {
  it('writes the value, with its TTL, while the lock is ours', async () => {
    const lock = await acquireLock(ns.redis, ns.key('user:lock'), 5_000);
    expect(await writeWhileLocked(ns.redis, lock!, ns.key('user'), '"Ann"', 60)).toBe(true);
    expect(await ns.redis.get(ns.key('user'))).toBe('"Ann"');
    const ttl = await ns.redis.ttl(ns.key('user'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('refuses the write of a holder that stalled past its lock\'s TTL: the next holder\'s newer value stays', async () => {
    const stalled = await acquireLock(ns.redis, ns.key('user:lock'), 1); // its load takes longer than its lock lives
    await expired(ns.key('user:lock'));
    const next = await acquireLock(ns.redis, ns.key('user:lock'), 5_000);
    expect(await writeWhileLocked(ns.redis, next!, ns.key('user'), '"new"', 60)).toBe(true);
    expect(await writeWhileLocked(ns.redis, stalled!, ns.key('user'), '"old"', 60)).toBe(false); // it wakes up, last
    expect(await ns.redis.get(ns.key('user'))).toBe('"new"');
  });

  it('refuses the write of a holder whose lock expired even when nobody took it since', async () => {
    const stalled = await acquireLock(ns.redis, ns.key('user:lock'), 1);
    await expired(ns.key('user:lock'));
    expect(await writeWhileLocked(ns.redis, stalled!, ns.key('user'), '"old"', 60)).toBe(false);
    expect(await ns.redis.exists(ns.key('user'))).toBe(0);
  });

  it('refuses an empty key (TypeError) and a bad TTL (RangeError)', async () => {
    const lock = await acquireLock(ns.redis, ns.key('k:lock'), 5_000);
    await expectRefusal(() => writeWhileLocked(ns.redis, lock!, '', 'v', 60), TypeError, 'key');
    await expectRefusal(() => writeWhileLocked(ns.redis, lock!, ns.key('k'), 'v', 0), RangeError, 'ttlSeconds');
  });
});

describe('invalidate: an invalidation wins over a load already running', () => {
  it('removes the value and its lock (<key>:lock), so the holder that loaded before it cannot write back', async () => {
    const holder = await acquireLock(ns.redis, ns.key('user:lock'), 5_000); // loading, from a database read before the change
    await ns.redis.set(ns.key('user'), '"old"');
    await invalidate(ns.redis, ns.key('user')); // the database changed: forget the cached value
    expect(await ns.redis.exists(ns.key('user'), ns.key('user:lock'))).toBe(0);
    expect(await writeWhileLocked(ns.redis, holder!, ns.key('user'), '"old"', 60)).toBe(false);
    expect(await ns.redis.exists(ns.key('user'))).toBe(0);
  });

  it('lets the next load take the lock and write', async () => {
    await acquireLock(ns.redis, ns.key('user:lock'), 5_000);
    await invalidate(ns.redis, ns.key('user'));
    const next = await acquireLock(ns.redis, ns.key('user:lock'), 5_000);
    expect(next).not.toBeNull();
    expect(await writeWhileLocked(ns.redis, next!, ns.key('user'), '"fresh"', 60)).toBe(true);
  });

  it('refuses an empty key (TypeError)', async () => {
    await expectRefusal(() => invalidate(ns.redis, ''), TypeError, 'key');
  });
});
