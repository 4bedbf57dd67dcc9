import { describe, expect, it, vi } from 'vitest';
import { shouldRefreshEarly, xfetch } from '@kata/10-stampede/xfetch.js';
import { useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';
import { failing } from '../04-caching-patterns/helpers.js';
import { manualClock } from './clock.js';
import { earlyShare } from './early-share.js';

const ns = useRedis();

describe('shouldRefreshEarly (XFetch)', () => {
  it('refreshes more often as expiry nears: e^(−gap/Δβ) of readers', () => {
    const shares = [300, 200, 100, 50, 10].map((gap) => earlyShare(shouldRefreshEarly, gap, 100));
    for (let i = 1; i < shares.length; i++) expect(shares[i]).toBeGreaterThan(shares[i - 1]!);
    expect(shares[2]).toBeCloseTo(Math.exp(-1), 2); // one Δ before expiry: about 37 %
    expect(shares[0]).toBeCloseTo(Math.exp(-3), 2); // three Δ before: about 5 %
  });

  it('never refreshes early with β = 0, or far from expiry with any realistic draw', () => {
    expect(earlyShare(shouldRefreshEarly, 1, 100, 0)).toBe(0);
    expect(shouldRefreshEarly({ now: 0, expiresAt: 60_000, deltaMs: 50, random: () => 0.01 })).toBe(false);
  });

  it('always refreshes at or after expiry, whatever the draw', () => {
    for (const now of [1_000, 1_001, 5_000]) {
      expect(shouldRefreshEarly({ now, expiresAt: 1_000, deltaMs: 0, random: () => 0.999 })).toBe(true);
    }
  });

  it('refuses what it cannot decide on (NaN, Infinity, a negative Δ or β) with a RangeError naming it', async () => {
    const input = { now: 0, expiresAt: 1_000, deltaMs: 10 };
    await expectRefusal(() => shouldRefreshEarly({ ...input, deltaMs: -1 }), RangeError, 'deltaMs');
    await expectRefusal(() => shouldRefreshEarly({ ...input, beta: Number.POSITIVE_INFINITY }), RangeError, 'beta');
    await expectRefusal(() => shouldRefreshEarly({ ...input, now: Number.NaN }), RangeError, 'now');
    await expectRefusal(() => shouldRefreshEarly({ ...input, expiresAt: Number.NaN }), RangeError, 'expiresAt');
  });
});

describe('xfetch', () => {
  it('stores { value, deltaMs, expiresAt } as JSON: how long its load took and when it expires', async () => {
    const clock = manualClock();
    await xfetch(ns.redis, ns.key('k'), async () => (clock.advance(40), 'v'), { ttlSeconds: 60, now: clock.now });
    const stored = JSON.parse((await ns.redis.get(ns.key('k')))!);
    expect(stored).toMatchObject({ value: 'v', deltaMs: 40, expiresAt: 1_000_040 + 60_000 });
  });

  it('serves the cached value far from expiry without loading', async () => {
    const clock = manualClock();
    const loader = vi.fn(async () => (clock.advance(50), 'v'));
    await xfetch(ns.redis, ns.key('k'), loader, { ttlSeconds: 60, now: clock.now, random: () => 0.5 });
    clock.advance(10_000);
    expect(await xfetch(ns.redis, ns.key('k'), loader, { ttlSeconds: 60, now: clock.now, random: () => 0.5 })).toBe('v');
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('refreshes before expiry when a reader wins the roll, and stores the new value', async () => {
    const clock = manualClock();
    let version = 0;
    const loader = vi.fn(async () => (clock.advance(50), ++version));
    await xfetch(ns.redis, ns.key('k'), loader, { ttlSeconds: 60, now: clock.now });
    clock.advance(60_000 - 10); // 10 ms before expiry; a head start of Δ·ln 2 ≈ 35 ms wins
    expect(await xfetch(ns.redis, ns.key('k'), loader, { ttlSeconds: 60, now: clock.now, random: () => 0.5 })).toBe(2);
    expect(JSON.parse((await ns.redis.get(ns.key('k')))!).value).toBe(2);
  });

  it('never serves a value past its expiry, even if Redis still holds it', async () => {
    const clock = manualClock();
    await ns.redis.set(ns.key('k'), JSON.stringify({ value: 'old', deltaMs: 0, expiresAt: clock.now() - 1 }), 'EX', 60);
    expect(await xfetch(ns.redis, ns.key('k'), async () => 'new', { ttlSeconds: 60, now: clock.now, random: () => 0.999 })).toBe('new');
  });

  it('serves the value it has when an early refresh fails (it has not expired), and reports the failure to onRefreshError', async () => {
    const clock = manualClock();
    await xfetch(ns.redis, ns.key('k'), async () => (clock.advance(50), 'v1'), { ttlSeconds: 60, now: clock.now });
    clock.advance(60_000 - 10); // the roll below wins: an early refresh
    const down = new Error('database blip');
    const onRefreshError = vi.fn();
    const options = { ttlSeconds: 60, now: clock.now, random: () => 0.5, onRefreshError };
    expect(await xfetch(ns.redis, ns.key('k'), async () => Promise.reject(down), options)).toBe('v1');
    expect(onRefreshError).toHaveBeenCalledWith(down);
  });

  it('answers from the loader when Redis is down, and tells onCacheError', async () => {
    const onCacheError = vi.fn();
    expect(await xfetch(failing(ns.redis), ns.key('k'), async () => 'db', { ttlSeconds: 60, onCacheError })).toBe('db');
    expect(onCacheError).toHaveBeenCalled();
  });

  it('refuses an empty key (TypeError), a bad TTL or a bad beta (RangeError) before loading', async () => {
    const loader = vi.fn(async () => 1);
    await expectRefusal(() => xfetch(ns.redis, '', loader, { ttlSeconds: 60 }), TypeError, 'key');
    await expectRefusal(() => xfetch(ns.redis, ns.key('k'), loader, { ttlSeconds: 0 }), RangeError, 'ttlSeconds');
    await expectRefusal(() => xfetch(ns.redis, ns.key('k'), loader, { ttlSeconds: 60, beta: -1 }), RangeError, 'beta');
    expect(loader).not.toHaveBeenCalled();
  });
});
