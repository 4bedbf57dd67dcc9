import { describe, expect, it, vi } from 'vitest';
import { shouldRefreshEarly, xfetch } from '@kata/10-stampede/xfetch.js';
import { useRedis } from '../support/redis.js';
import { failing } from '../04-caching-patterns/helpers.js';
import { manualClock } from './clock.js';
import { earlyShare } from './early-share.js';

const ns = useRedis();

describe('shouldRefreshEarly, in depth', () => {
  it('starts earlier for a slower load (larger Δ) and for a larger β', () => {
    expect(earlyShare(shouldRefreshEarly, 100, 200)).toBeGreaterThan(earlyShare(shouldRefreshEarly, 100, 100));
    expect(earlyShare(shouldRefreshEarly, 100, 100, 2)).toBeGreaterThan(earlyShare(shouldRefreshEarly, 100, 100, 1));
  });

  it('treats a draw of exactly 0 (Math.random can return it) as a refresh, not a crash', () => {
    expect(shouldRefreshEarly({ now: 0, expiresAt: 60_000, deltaMs: 50, random: () => 0 })).toBe(true);
  });

  it('refreshes at and after expiry even when random() is broken (NaN): a value is never served past its expiry', () => {
    for (const now of [1_000, 1_001]) {
      expect(shouldRefreshEarly({ now, expiresAt: 1_000, deltaMs: 100, random: () => Number.NaN })).toBe(true);
    }
    expect(shouldRefreshEarly({ now: 999, expiresAt: 1_000, deltaMs: 100, random: () => Number.NaN })).toBe(false);
  });

  it('refreshes when the head start reaches expiry exactly (≥, not >)', () => {
    // Δ·β·(−ln e⁻¹) = 100 ms: now + 100 is the expiry itself
    expect(shouldRefreshEarly({ now: 900, expiresAt: 1_000, deltaMs: 100, random: () => Math.exp(-1) })).toBe(true);
  });

  it('uses β = 1 and Math.random by default', () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(Math.exp(-1));
    expect(shouldRefreshEarly({ now: 900, expiresAt: 1_000, deltaMs: 100 })).toBe(true);
    expect(shouldRefreshEarly({ now: 899, expiresAt: 1_000, deltaMs: 100 })).toBe(false);
    expect(random).toHaveBeenCalled();
  });

  it('of 1,000 readers spread over the last 5 Δ before expiry, refreshes a few, mostly near the end', () => {
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

  it.each([
    ['deltaMs', { deltaMs: Number.NaN }, 'must be a finite number ≥ 0, got NaN'],
    ['deltaMs', { deltaMs: -1 }, 'must be a finite number ≥ 0, got -1'],
    ['beta', { beta: Number.POSITIVE_INFINITY }, 'must be a finite number ≥ 0, got Infinity'],
    ['beta', { beta: -1 }, 'must be a finite number ≥ 0, got -1'],
    ['now', { now: Number.NaN }, 'must be a finite number, got NaN'],
    ['expiresAt', { expiresAt: Number.POSITIVE_INFINITY }, 'must be a finite number, got Infinity'],
  ])('refuses a bad %s with the exact message', (name, bad, words) => {
    expect(() => shouldRefreshEarly({ now: 0, expiresAt: 1_000, deltaMs: 10, ...bad })).toThrow(new RangeError(`shouldRefreshEarly: ${name} ${words}`));
  });
});

describe('xfetch, in depth', () => {
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

  it('reads a list under the key (WRONGTYPE) as a miss too, and replaces it', async () => {
    await ns.redis.rpush(ns.key('k'), 'a');
    expect(await xfetch(ns.redis, ns.key('k'), async () => 'fresh', { ttlSeconds: 60 })).toBe('fresh');
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

  it('after a failed early refresh, keeps serving the same value, and writes nothing over it', async () => {
    const clock = manualClock();
    await xfetch(ns.redis, ns.key('k'), async () => (clock.advance(50), 'v1'), { ttlSeconds: 60, now: clock.now });
    const stored = await ns.redis.get(ns.key('k'));
    clock.advance(60_000 - 10);
    const blip = { ttlSeconds: 60, now: clock.now, random: () => 0.5, onRefreshError: vi.fn() };
    for (let i = 0; i < 3; i++) expect(await xfetch(ns.redis, ns.key('k'), async () => Promise.reject(new Error('blip')), blip)).toBe('v1');
    expect(blip.onRefreshError).toHaveBeenCalledTimes(3);
    expect(await ns.redis.get(ns.key('k'))).toBe(stored);
  });

  it('throws a failed load when it has nothing valid to serve: a miss, or a value that expired (onRefreshError is not called)', async () => {
    const clock = manualClock();
    const down = new Error('database down');
    const onRefreshError = vi.fn();
    await expect(xfetch(ns.redis, ns.key('k'), async () => Promise.reject(down), { ttlSeconds: 60, now: clock.now, onRefreshError })).rejects.toBe(down);
    await ns.redis.set(ns.key('k'), JSON.stringify({ value: 'old', deltaMs: 10, expiresAt: clock.now() }));
    await expect(xfetch(ns.redis, ns.key('k'), async () => Promise.reject(down), { ttlSeconds: 60, now: clock.now, onRefreshError })).rejects.toBe(down);
    expect(onRefreshError).not.toHaveBeenCalled();
  });

  it('throws an early refresh that failed so slowly that the value expired meanwhile: it is never served past its expiry', async () => {
    const clock = manualClock();
    await xfetch(ns.redis, ns.key('k'), async () => (clock.advance(50), 'v1'), { ttlSeconds: 60, now: clock.now });
    clock.advance(60_000 - 10);
    const down = new Error('slow and down');
    const slowFailure = async () => {
      clock.advance(20); // past the expiry before it fails
      throw down;
    };
    await expect(xfetch(ns.redis, ns.key('k'), slowFailure, { ttlSeconds: 60, now: clock.now, random: () => 0.5 })).rejects.toBe(down);
  });

  it('reports a write that fails to onCacheError and still answers', async () => {
    const onCacheError = vi.fn();
    expect(await xfetch(failing(ns.redis, 'set'), ns.key('k'), async () => 'db', { ttlSeconds: 60, onCacheError })).toBe('db');
    expect(onCacheError).toHaveBeenCalledTimes(1);
  });

  it('refuses an empty key, a bad TTL or a bad beta with the exact messages, naming xfetch', async () => {
    const loader = vi.fn(async () => 1);
    await expect(xfetch(ns.redis, '', loader, { ttlSeconds: 60 })).rejects.toThrow(/^xfetch: the key/);
    await expect(xfetch(ns.redis, ns.key('k'), loader, { ttlSeconds: 0 })).rejects.toThrow(/^xfetch: ttlSeconds/);
    await expect(xfetch(ns.redis, ns.key('k'), loader, { ttlSeconds: 60, beta: -1 })).rejects.toThrow(new RangeError('xfetch: beta must be a finite number ≥ 0, got -1'));
    expect(loader).not.toHaveBeenCalled();
  });
});
