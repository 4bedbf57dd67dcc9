import type { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { FailSafeCache, type FailSafeOptions } from '@kata/08-best-practices/fail-safe.js';
import { useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';
import { clock, database, switchable } from './outage.js';

const ns = useRedis();

/** Fresh for 60 s, then stale for 600 s more; 3 failures in 1 s open the breaker for 5 s; a clock the spec moves. */
function cache(overrides: Partial<FailSafeOptions> & { redis: Redis }) {
  const time = clock();
  const c = new FailSafeCache({
    name: 'users',
    prefix: ns.prefix,
    freshSeconds: 60,
    staleSeconds: 600,
    breaker: { failureThreshold: 3, windowMs: 1_000, cooldownMs: 5_000 },
    now: time.now,
    log: () => {},
    ...overrides,
  });
  return { cache: c, time };
}

const databaseDown = new Error('database is down');
const broken = () => Promise.reject(databaseDown);

describe('FailSafeCache while everything works', () => {
  it('loads once and then answers from Redis: 100 reads of one key are one query', async () => {
    const { cache: c } = cache({ redis: ns.redis });
    const db = database();
    expect(await c.get('1', () => db('1'))).toEqual({ value: 'row 1', stale: false, from: 'loader' });
    for (let i = 0; i < 99; i++) expect(await c.get('1', () => db('1'))).toEqual({ value: 'row 1', stale: false, from: 'redis' });
    expect(db).toHaveBeenCalledTimes(1);
  });

  it('loads again once the copy is past freshSeconds', async () => {
    const { cache: c, time } = cache({ redis: ns.redis });
    const db = database();
    await c.get('1', () => db('1'));
    time.advance(60_000);
    expect(await c.get('1', () => db('1'))).toEqual({ value: 'row 1', stale: false, from: 'loader' });
    expect(db).toHaveBeenCalledTimes(2);
  });

  it('serves the copy, marked stale, when the loader fails; the loader\'s error only once the copy is past staleSeconds too', async () => {
    const { cache: c, time } = cache({ redis: ns.redis });
    await c.get('1', async () => 'row 1');
    time.advance(61_000);
    expect(await c.get('1', broken)).toEqual({ value: 'row 1', stale: true, from: 'redis' });
    time.advance(599_000); // fresh 60 s + stale 600 s after the load
    await expect(c.get('1', broken)).rejects.toBe(databaseDown);
  });

  it('loads when Redis answers that the key is gone (another process invalidated it), and serves nothing older', async () => {
    const { cache: c } = cache({ redis: ns.redis });
    await c.get('1', async () => 'row 1');
    await ns.redis.del(`${ns.prefix}1`); // an update elsewhere: invalidate-on-write
    expect(await c.get('1', async () => 'row 1, updated')).toEqual({ value: 'row 1, updated', stale: false, from: 'loader' });
  });
});

describe('FailSafeCache while Redis is down', () => {
  it('answers warm keys from memory: 1,000 reads cost no query', async () => {
    const r = switchable(ns.redis);
    const { cache: c } = cache({ redis: r.redis });
    const db = database();
    for (let id = 0; id < 10; id++) await c.get(String(id), () => db(String(id)));
    r.down();
    for (let i = 0; i < 1_000; i++) {
      expect(await c.get(String(i % 10), () => db(String(i % 10)))).toEqual({ value: `row ${i % 10}`, stale: false, from: 'memory' });
    }
    expect(db).toHaveBeenCalledTimes(10);
  });

  it('serves a copy past its freshness as stale instead of querying the database, until staleSeconds run out', async () => {
    const r = switchable(ns.redis);
    const { cache: c, time } = cache({ redis: r.redis });
    const db = database();
    await c.get('1', () => db('1'));
    r.down();
    time.advance(120_000);
    expect(await c.get('1', () => db('1'))).toEqual({ value: 'row 1', stale: true, from: 'memory' });
    expect(db).toHaveBeenCalledTimes(1);
    time.advance(600_000);
    expect(await c.get('1', () => db('1'))).toEqual({ value: 'row 1', stale: false, from: 'loader' });
  });
});

describe('FailSafeCache: bounded load on the database', () => {
  it('shares one load among 100 concurrent reads of a cold key, and runs at most maxConcurrentLoads at once', async () => {
    const r = switchable(ns.redis);
    r.down();
    const { cache: c } = cache({ redis: r.redis, maxConcurrentLoads: 2 });
    let running = 0;
    let most = 0;
    const loader = vi.fn(async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      return 'row';
    });
    const reads = await Promise.all(Array.from({ length: 100 }, (_, i) => c.get(String(i % 5), loader)));
    expect(reads.every((read) => read.value === 'row')).toBe(true);
    expect(loader).toHaveBeenCalledTimes(5);
    expect(most).toBe(2);
  });

  it('refuses options that cannot work, at construction (RangeError), and a loader that is not a function (TypeError)', async () => {
    const ok = { redis: ns.redis, name: 'users', prefix: 'p:', freshSeconds: 60, staleSeconds: 600 };
    await expectRefusal(() => new FailSafeCache({ ...ok, freshSeconds: 0 }), RangeError, 'freshSeconds');
    await expectRefusal(() => new FailSafeCache({ ...ok, staleSeconds: 1.5 }), RangeError, 'staleSeconds');
    await expectRefusal(() => new FailSafeCache({ ...ok, maxConcurrentLoads: 0 }), RangeError, 'maxConcurrentLoads');
    await expectRefusal(() => new FailSafeCache(ok).get('1', 'row 1' as never), TypeError, 'loader');
  });
});
