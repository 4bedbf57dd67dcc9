import { describe, expect, it } from 'vitest';
import { MemoryTier } from '@kata/11-two-tiers/memory-tier.js';
import { expectRefusal } from '../support/refusal.js';
import { manualClock } from '../10-stampede/clock.js';

function tier<T>(options: { l1Max?: number; l1TtlMs?: number } = {}) {
  const clock = manualClock();
  const l1 = new MemoryTier<T>({ l1Max: 100, l1TtlMs: 5_000, now: clock.now, ...options });
  return { l1, clock };
}

describe('MemoryTier (L1): bounded, expiring, and what counts as a hit', () => {
  it('keeps a value in a box, so that falsy values are hits: 0, \'\', false, null, undefined', () => {
    const { l1 } = tier<unknown>();
    for (const value of [0, '', false, null, undefined]) {
      l1.fill(`k${String(value)}`, { value }, l1.invalidations);
      expect(l1.get(`k${String(value)}`)).toEqual({ value });
    }
    expect(l1.get('never filled')).toBeUndefined();
  });

  it('forgets an entry after l1TtlMs, on the clock it was given', () => {
    const { l1, clock } = tier<string>({ l1TtlMs: 1_000 });
    l1.fill('k', { value: 'v' }, l1.invalidations);
    clock.advance(999);
    expect(l1.get('k')).toEqual({ value: 'v' });
    clock.advance(2);
    expect(l1.get('k')).toBeUndefined();
    expect(l1.has('k')).toBe(false);
  });

  it('holds at most l1Max entries, dropping the least recently used', () => {
    const { l1 } = tier<string>({ l1Max: 2 });
    for (const key of ['a', 'b']) l1.fill(key, { value: key }, l1.invalidations);
    l1.get('a'); // a is now the most recent
    l1.fill('c', { value: 'c' }, l1.invalidations);
    expect(['a', 'b', 'c'].map((k) => l1.has(k))).toEqual([true, false, true]);
  });

  it('drop() forgets one key, clear() every key', () => {
    const { l1 } = tier<string>();
    for (const key of ['a', 'b', 'c']) l1.fill(key, { value: key }, l1.invalidations);
    l1.drop('a');
    expect(['a', 'b', 'c'].map((k) => l1.has(k))).toEqual([false, true, true]);
    l1.clear();
    expect(['b', 'c'].map((k) => l1.has(k))).toEqual([false, false]);
  });

  it('refuses an answer that was on its way when an invalidation came: fill() with a count noted before a drop or a clear keeps nothing', () => {
    const { l1 } = tier<string>();
    const noted = l1.invalidations; // a read asks Redis...
    l1.drop('k'); // ... the message "k changed" is handled first (k was not in L1 yet)...
    l1.fill('k', { value: 'old' }, noted); // ... then the old answer arrives
    expect(l1.has('k')).toBe(false);
    const again = l1.invalidations;
    l1.clear();
    l1.fill('k', { value: 'old' }, again);
    expect(l1.has('k')).toBe(false);
    l1.fill('k', { value: 'new' }, l1.invalidations); // a question asked after the change
    expect(l1.get('k')).toEqual({ value: 'new' });
  });

  it('neither reads nor fills while not trusted, and starts empty when trusted again', () => {
    const { l1 } = tier<string>();
    l1.fill('k', { value: 'v' }, l1.invalidations);
    l1.trusted = false;
    expect(l1.trusted).toBe(false);
    expect(l1.get('k')).toBeUndefined();
    l1.fill('k', { value: 'v' }, l1.invalidations);
    l1.trusted = true;
    expect(l1.trusted).toBe(true);
    expect(l1.get('k')).toBeUndefined();
    l1.fill('k', { value: 'w' }, l1.invalidations);
    expect(l1.get('k')).toEqual({ value: 'w' });
  });

  it('refuses an l1Max or an l1TtlMs that cannot work, with a RangeError naming it', async () => {
    await expectRefusal(() => new MemoryTier({ l1Max: 0, l1TtlMs: 1_000 }), RangeError, 'l1Max');
    await expectRefusal(() => new MemoryTier({ l1Max: 10, l1TtlMs: 0 }), RangeError, 'l1TtlMs');
    await expectRefusal(() => new MemoryTier({ l1Max: 10, l1TtlMs: 1.5 }), RangeError, 'l1TtlMs');
  });
});
