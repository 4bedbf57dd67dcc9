import { describe, expect, it } from 'vitest';
import { jitter } from '@kata/02-ttl-caches/jitter.js';

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
  it('spreads 1 000 entries written together over ±10 % instead of expiring them in the same second', () => {
    const random = evenlySpread();
    const plain = Array.from({ length: 1_000 }, () => 60_000);
    const jittered = Array.from({ length: 1_000 }, () => jitter(60_000, { spread: 0.1, random }));
    expect(busiestSecond(plain)).toBe(1_000); // one stampede on the database
    expect(busiestSecond(jittered)).toBeLessThan(150); // about 1 000 / 12 seconds each
  });

  it('stays within ttl ± spread, reaching both ends', () => {
    expect(jitter(60_000, { spread: 0.1, random: () => 0 })).toBe(54_000);
    expect(jitter(60_000, { spread: 0.1, random: () => 0.999_999_9 })).toBe(66_000);
    expect(jitter(60_000, { spread: 0.25, random: () => 0.5 })).toBe(60_000);
  });

  it('leaves the TTL alone when spread is 0, and spreads by ±10 % when not told', () => {
    expect(jitter(5_000, { spread: 0, random: () => 0 })).toBe(5_000);
    expect(jitter(10_000, { random: () => 0 })).toBe(9_000);
  });

  it('returns whole milliseconds, never 0 (a TTL of 0 would not cache at all)', () => {
    const random = evenlySpread();
    for (let i = 0; i < 100; i++) expect(Number.isInteger(jitter(1_234, { spread: 0.3, random }))).toBe(true);
    expect(jitter(1, { spread: 0.9, random: () => 0 })).toBe(1);
  });

  it('rejects a TTL or a spread that makes no sense with a RangeError', () => {
    expect(() => jitter(0)).toThrow(RangeError);
    expect(() => jitter(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => jitter(1_000, { spread: 1 })).toThrow(RangeError);
    expect(() => jitter(1_000, { spread: -0.1 })).toThrow(RangeError);
  });

  it('refuses a random() that leaves [0, 1), which would hand out a NaN or a negative TTL', () => {
    expect(() => jitter(1_000, { random: () => Number.NaN })).toThrow(/random\(\).*NaN/);
    expect(() => jitter(1_000, { spread: 0.5, random: () => 1 })).toThrow(RangeError);
    expect(() => jitter(1_000, { spread: 0.5, random: () => -3 })).toThrow(RangeError);
  });

  it('says in its error which number was wrong and what it was', () => {
    expect(() => jitter(-5)).toThrow(/ttlMs.*-5/);
    expect(() => jitter(1_000, { spread: 1.5 })).toThrow(/spread.*1\.5/);
  });
});
