import { describe, expect, it } from 'vitest';
import { jitter } from '@kata/02-ttl-caches/jitter.js';

describe('jitter, deeper', () => {
  it('refuses a random() that leaves [0, 1), which would hand out a NaN or a negative TTL', () => {
    expect(() => jitter(1_000, { random: () => Number.NaN })).toThrow(/random\(\).*NaN/);
    expect(() => jitter(1_000, { spread: 0.5, random: () => -3 })).toThrow(RangeError);
    expect(() => jitter(1_000, { spread: 0.5, random: () => 5 })).toThrow(RangeError);
  });

  it('refuses a TTL under 1 ms, which no whole, non-zero number of milliseconds can stay within', () => {
    expect(() => jitter(0.5)).toThrow(RangeError);
    expect(() => jitter(Number.NaN)).toThrow(RangeError);
    expect(jitter(1, { spread: 0 })).toBe(1);
  });

  it('never adds time to a TTL that is not whole: 1.5 ms becomes 1, not 2', () => {
    expect(jitter(1.5, { spread: 0, random: () => 0 })).toBe(1);
    expect(jitter(1_000.9, { spread: 0, random: () => 0 })).toBe(1_000);
  });

  it('says in its error which number was wrong and what it was', () => {
    expect(() => jitter(-5)).toThrow(new RangeError('jitter: ttlMs must be a finite number of milliseconds, at least 1, got -5'));
    expect(() => jitter(1_000, { spread: 1.5 })).toThrow(/spread.*1\.5/);
    expect(() => jitter(1_000, { random: () => 1 })).toThrow('jitter: random() must return a number in [0, 1), got 1');
  });
});
