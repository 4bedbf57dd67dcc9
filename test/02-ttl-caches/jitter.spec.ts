import { describe, expect, it } from 'vitest';
import { jitter } from '@kata/02-ttl-caches/jitter.js';
import { expectRefusal } from '../support/refusal.js';

/** Evenly spread numbers in [0, 1) (the golden-ratio sequence): repeatable, unlike Math.random. */
function evenlySpread(): () => number {
  let x = 0;
  return () => (x = (x + 0.618_033_988_75) % 1);
}

/** The most entries that expire within any one second, when `ttls` are all written at t = 0. */
function busiestSecond(ttls: number[]): number {
  const perSecond = new Map<number, number>();
  for (const ttl of ttls) perSecond.set(Math.floor(ttl / 1_000), (perSecond.get(Math.floor(ttl / 1_000)) ?? 0) + 1);
  return Math.max(...perSecond.values());
}

describe('jitter', () => {
  it('spreads 1 000 entries written together over 12 seconds instead of expiring them in the same second', () => {
    const random = evenlySpread();
    const plain = Array.from({ length: 1_000 }, () => 60_000);
    const jittered = Array.from({ length: 1_000 }, () => jitter(60_000, { spread: 0.2, random }));
    expect(busiestSecond(plain)).toBe(1_000); // one stampede on the database
    expect(busiestSecond(jittered)).toBeLessThan(150); // about 1 000 / 12 seconds each
  });

  it('takes time off, never adds it: from ttl × (1 - spread) up to ttl, reaching both ends', () => {
    expect(jitter(60_000, { spread: 0.1, random: () => 0 })).toBe(60_000);
    expect(jitter(60_000, { spread: 0.1, random: () => 0.999_999_9 })).toBe(54_000);
    expect(jitter(60_000, { spread: 0.5, random: () => 0.5 })).toBe(45_000);
    const random = evenlySpread();
    for (let i = 0; i < 100; i++) expect(jitter(60_000, { spread: 0.3, random })).toBeLessThanOrEqual(60_000);
  });

  it('leaves the TTL alone when spread is 0, and takes off up to 10 % when not told', () => {
    expect(jitter(5_000, { spread: 0, random: () => 0.7 })).toBe(5_000);
    expect(jitter(10_000, { random: () => 0.5 })).toBe(9_500);
  });

  it('returns whole milliseconds, never 0 (a TTL of 0 would not cache at all)', () => {
    const random = evenlySpread();
    for (let i = 0; i < 100; i++) expect(Number.isInteger(jitter(1_234, { spread: 0.3, random }))).toBe(true);
    expect(jitter(1, { spread: 0.9, random: () => 0.99 })).toBe(1);
  });

  it('refuses a TTL, a spread or a random() that makes no sense with a RangeError that names it', async () => {
    await expectRefusal(() => jitter(0), RangeError, 'ttlMs');
    await expectRefusal(() => jitter(Number.POSITIVE_INFINITY), RangeError, 'ttlMs');
    await expectRefusal(() => jitter(1_000, { spread: 1 }), RangeError, 'spread');
    await expectRefusal(() => jitter(1_000, { spread: -0.1 }), RangeError, 'spread');
    await expectRefusal(() => jitter(1_000, { random: () => 1 }), RangeError, 'random');
  });
});
