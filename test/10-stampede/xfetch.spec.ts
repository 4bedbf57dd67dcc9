import { describe, expect, it, vi } from 'vitest';
import { shouldRefreshEarly, xfetch } from '@kata/10-stampede/xfetch.js';
import { useRedis } from '../support/redis.js';
import { failing } from '../04-caching-patterns/helpers.js';

const ns = useRedis();

/** The share of readers that refresh early at `msBeforeExpiry`, over an even spread of random draws. */
function earlyShare(msBeforeExpiry: number, deltaMs: number, beta = 1): number {
  const draws = 10_000;
  let refreshed = 0;
  for (let i = 1; i <= draws; i++) {
    const r = i / (draws + 1);
    if (shouldRefreshEarly({ now: 1_000_000 - msBeforeExpiry, expiresAt: 1_000_000, deltaMs, beta, random: () => r })) refreshed++;
  }
  return refreshed / draws;
}

describe('shouldRefreshEarly (XFetch)', () => {
  it('refreshes more often as expiry nears: e^(−gap/Δβ) of readers', () => {
    const shares = [300, 200, 100, 50, 10].map((gap) => earlyShare(gap, 100));
    for (let i = 1; i < shares.length; i++) expect(shares[i]).toBeGreaterThan(shares[i - 1]!);
    expect(shares[2]).toBeCloseTo(Math.exp(-1), 2); // one Δ before expiry: about 37 %
    expect(shares[0]).toBeCloseTo(Math.exp(-3), 2); // three Δ before: about 5 %
  });

  it('starts earlier for a slower load (larger Δ) and for a larger β', () => {
    expect(earlyShare(100, 200)).toBeGreaterThan(earlyShare(100, 100));
    expect(earlyShare(100, 100, 2)).toBeGreaterThan(earlyShare(100, 100, 1));
  });

  it('never refreshes early with β = 0, or far from expiry with any realistic draw', () => {
    expect(earlyShare(1, 100, 0)).toBe(0);
    expect(shouldRefreshEarly({ now: 0, expiresAt: 60_000, deltaMs: 50, random: () => 0.01 })).toBe(false);
  });

  it('always refreshes at or after expiry, whatever the draw', () => {
    for (const now of [1_000, 1_001, 5_000]) {
      expect(shouldRefreshEarly({ now, expiresAt: 1_000, deltaMs: 0, random: () => 0.999 })).toBe(true);
    }
  });

  it('treats a draw of exactly 0 (Math.random can return it) as a refresh, not a crash', () => {
    expect(shouldRefreshEarly({ now: 0, expiresAt: 60_000, deltaMs: 50, random: () => 0 })).toBe(true);
  });

  it('refreshes at and after expiry even when random() is broken (NaN): a value is never served past its expiry', () => {
    for (const now of [1_000, 1_001]) {
      expect(shouldRefreshEarly({ now, expiresAt: 1_000, deltaMs: 100, random: () => Number.NaN })).toBe(true);
    }
  });

  it('refreshes when the head start reaches expiry exactly (≥, not >)', () => {
    // Δ·β·(−ln e⁻¹) = 100 ms: now + 100 is the expiry itself
    expect(shouldRefreshEarly({ now: 900, expiresAt: 1_000, deltaMs: 100, random: () => Math.exp(-1) })).toBe(true);
  });

  it.each([
    ['deltaMs', { deltaMs: Number.NaN }, '≥ 0, got NaN'],
    ['deltaMs', { deltaMs: -1 }, '≥ 0, got -1'],
    ['beta', { beta: Number.POSITIVE_INFINITY }, '≥ 0, got Infinity'],
    ['beta', { beta: -1 }, '≥ 0, got -1'],
    ['now', { now: Number.NaN }, 'got NaN'],
    ['expiresAt', { expiresAt: Number.POSITIVE_INFINITY }, 'got Infinity'],
  ])('refuses a bad %s with a RangeError that names it, instead of deciding on garbage', (name, bad, got) => {
    expect(() => shouldRefreshEarly({ now: 0, expiresAt: 1_000, deltaMs: 10, ...bad })).toThrow(RangeError);
    expect(() => shouldRefreshEarly({ now: 0, expiresAt: 1_000, deltaMs: 10, ...bad })).toThrow(
      new RegExp(`^shouldRefreshEarly: ${name} must be a finite number .*${got.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
    );
  });
});

/** A clock the spec moves by hand. */
function manualClock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('xfetch', () => {
  it('stores with the value how long its load took and when it expires', async () => {
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
    expect(loader).toHaveBeenCalledTimes(2);
  });

  it('of 1,000 readers spread over the last 5 Δ before expiry, refreshes a few, mostly near the end', async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const decisions = Array.from({ length: 1_000 }, (_, i) => {
      const gap = 500 - i * 0.5; // from 5 Δ to 0 before expiry, Δ = 100 ms
      return { gap, early: shouldRefreshEarly({ now: -gap, expiresAt: 0, deltaMs: 100, random }) };
    });
    const farHalf = decisions.filter((d) => d.gap > 250 && d.early).length;
    const nearHalf = decisions.filter((d) => d.gap <= 250 && d.early).length;
    expect(nearHalf).toBeGreaterThan(5 * farHalf);
  });

  it('never serves a value past its expiry, even if Redis still holds it', async () => {
    const clock = manualClock();
    await ns.redis.set(ns.key('k'), JSON.stringify({ value: 'old', deltaMs: 0, expiresAt: clock.now() - 1 }), 'EX', 60);
    const value = await xfetch(ns.redis, ns.key('k'), async () => 'new', { ttlSeconds: 60, now: clock.now, random: () => 0.999 });
    expect(value).toBe('new');
  });

  it('treats a value of another shape under the key (another writer, an old release) as a miss, and replaces it', async () => {
    const clock = manualClock();
    const far = 9e15;
    for (const foreign of [
      '"just a string"',
      '{"value":1}',
      '{"value":1,"deltaMs":"x","expiresAt":5}',
      `{"value":1,"deltaMs":-5,"expiresAt":${far}}`,
      `{"value":1,"deltaMs":5,"expiresAt":"${far}"}`,
      `{"deltaMs":5,"expiresAt":${far}}`,
      'null',
      'not json',
    ]) {
      await ns.redis.set(ns.key('k'), foreign);
      expect(await xfetch(ns.redis, ns.key('k'), async () => 'fresh', { ttlSeconds: 60, now: clock.now })).toBe('fresh');
    }
    expect(JSON.parse((await ns.redis.get(ns.key('k')))!).value).toBe('fresh');
  });

  it('caches falsy values: a stored 0 or null is served, not loaded again', async () => {
    const clock = manualClock();
    for (const falsy of [0, null, '', false]) {
      const loader = vi.fn(async () => falsy);
      const key = ns.key('f', String(falsy));
      await xfetch(ns.redis, key, loader, { ttlSeconds: 60, now: clock.now, random: () => 0.5 });
      expect(await xfetch(ns.redis, key, loader, { ttlSeconds: 60, now: clock.now, random: () => 0.5 })).toBe(falsy);
      expect(loader).toHaveBeenCalledTimes(1);
    }
  });

  it('refuses an empty key, a bad TTL or a bad beta at the call, naming xfetch', async () => {
    const loader = vi.fn(async () => 1);
    await expect(xfetch(ns.redis, '', loader, { ttlSeconds: 60 })).rejects.toThrow(/^xfetch: the key/);
    await expect(xfetch(ns.redis, ns.key('k'), loader, { ttlSeconds: 0 })).rejects.toThrow(/^xfetch: ttlSeconds/);
    await expect(xfetch(ns.redis, ns.key('k'), loader, { ttlSeconds: 60, beta: -1 })).rejects.toThrow(/beta must be a finite number ≥ 0, got -1/);
    expect(loader).not.toHaveBeenCalled();
  });

  it('answers from the loader when Redis is down, and tells onCacheError', async () => {
    const onCacheError = vi.fn();
    expect(await xfetch(failing(ns.redis), ns.key('k'), async () => 'db', { ttlSeconds: 60, onCacheError })).toBe('db');
    expect(onCacheError).toHaveBeenCalled();
  });
});
