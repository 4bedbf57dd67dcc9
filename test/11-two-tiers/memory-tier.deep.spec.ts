import { describe, expect, it, vi } from 'vitest';
import { MemoryTier } from '@kata/11-two-tiers/memory-tier.js';
import { manualClock } from '../10-stampede/clock.js';

const MAX_TIMER_MS = 2 ** 31 - 1;

describe('MemoryTier, in depth', () => {
  it('expires on performance.now() when no clock is given', () => {
    let now = 5_000;
    const spy = vi.spyOn(performance, 'now').mockImplementation(() => now);
    const l1 = new MemoryTier<string>({ l1Max: 10, l1TtlMs: 1_000 });
    l1.fill('k', { value: 'v' }, l1.invalidations);
    now += 999;
    expect(l1.has('k')).toBe(true);
    now += 2;
    expect(l1.has('k')).toBe(false);
    spy.mockRestore();
  });

  it('answers for an expired entry exactly as for a missing one, to every method', () => {
    const clock = manualClock();
    const l1 = new MemoryTier<string>({ l1Max: 10, l1TtlMs: 100, now: clock.now });
    l1.fill('k', { value: 'v' }, l1.invalidations);
    clock.advance(101);
    expect([l1.get('k'), l1.has('k')]).toEqual([undefined, false]);
  });

  it('counts every invalidation, of a key it holds or not: a drop and a clear in either order', () => {
    const l1 = new MemoryTier<string>({ l1Max: 10, l1TtlMs: 1_000 });
    for (const invalidate of [() => (l1.drop('k'), l1.clear()), () => (l1.clear(), l1.drop('k')), () => l1.drop('elsewhere')]) {
      const noted = l1.invalidations;
      invalidate();
      expect(l1.invalidations).toBeGreaterThan(noted);
      l1.fill('k', { value: 'old' }, noted);
      expect(l1.has('k')).toBe(false);
    }
  });

  it('counts a change of trust as an invalidation, and clears when trusted twice', () => {
    const l1 = new MemoryTier<string>({ l1Max: 10, l1TtlMs: 1_000 });
    const noted = l1.invalidations;
    l1.trusted = true;
    l1.fill('k', { value: 'old' }, noted);
    expect(l1.has('k')).toBe(false);
    l1.fill('k', { value: 'v' }, l1.invalidations);
    l1.trusted = true;
    expect(l1.has('k')).toBe(false);
  });

  it('replaces the value of a key it holds, as the most recent', () => {
    const l1 = new MemoryTier<string>({ l1Max: 2, l1TtlMs: 1_000 });
    l1.fill('a', { value: 'a1' }, l1.invalidations);
    l1.fill('b', { value: 'b' }, l1.invalidations);
    l1.fill('a', { value: 'a2' }, l1.invalidations);
    l1.fill('c', { value: 'c' }, l1.invalidations);
    expect([l1.get('a'), l1.has('b')]).toEqual([{ value: 'a2' }, false]);
  });

  it('accepts the edges: l1Max 1, l1TtlMs 1 and 2^31 - 1', () => {
    expect(() => new MemoryTier({ l1Max: 1, l1TtlMs: 1 })).not.toThrow();
    expect(() => new MemoryTier({ l1Max: 1, l1TtlMs: MAX_TIMER_MS })).not.toThrow();
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses l1Max %s with the exact message', (l1Max) => {
    expect(() => new MemoryTier({ l1Max, l1TtlMs: 1_000 })).toThrow(new RangeError(`TwoTierCache: l1Max must be a whole number ≥ 1, got ${l1Max}`));
  });

  it.each([0, -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31])('refuses l1TtlMs %s (whole ms; Node timers stop at 2^31 - 1 ms) with the exact message', (l1TtlMs) => {
    expect(() => new MemoryTier({ l1Max: 10, l1TtlMs })).toThrow(
      new RangeError(`TwoTierCache: l1TtlMs must be a whole number of ms from 1 to ${MAX_TIMER_MS}, got ${l1TtlMs}`),
    );
  });
});
