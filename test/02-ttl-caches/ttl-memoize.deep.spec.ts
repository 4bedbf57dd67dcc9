import { describe, expect, it, vi } from 'vitest';
import { ttlMemoize } from '@kata/02-ttl-caches/ttl-memoize.js';
import { manualClock } from './manual-clock.js';

describe('ttlMemoize, deeper', () => {
  it('cacheClear forgets every result and resets the counters', () => {
    const double = vi.fn((n: number) => n * 2);
    const cached = ttlMemoize(double, { ttlMs: 1_000, max: 10, now: manualClock().now });
    cached(1);
    cached(1);
    cached.cacheClear();
    expect(cached.cacheInfo()).toEqual({ hits: 0, misses: 0, maxSize: 10, currSize: 0 });
    cached(1);
    expect(double).toHaveBeenCalledTimes(2);
  });

  it('counts only live results in currSize, as cachetools\' cache_info() does: an expired result is gone', () => {
    const clock = manualClock();
    const square = ttlMemoize((n: number) => n * n, { ttlMs: 1_000, max: 1_000, now: clock.now });
    for (let n = 0; n < 500; n++) square(n);
    clock.advance(1_000);
    square(-1);
    expect(square.cacheInfo().currSize).toBe(1);
  });

  it('forgets only its own rejected promise: an old call failing late does not drop a newer call\'s result', async () => {
    const settle: Array<(e: Error) => void> = [];
    const load = vi.fn(() => (settle.length === 0 ? new Promise<string>((_, reject) => settle.push(reject)) : Promise.resolve('fresh')));
    const cached = ttlMemoize(load, { ttlMs: 1_000, max: 10, now: manualClock().now });
    const old = cached();
    cached.cacheClear();
    const fresh = cached();
    const late = new Error('late failure');
    settle[0]!(late);
    await expect(old).rejects.toBe(late);
    expect(cached()).toBe(fresh);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('takes a hit on one reading of the clock: a result that expires right after get() is still that hit', () => {
    let t = 1_000;
    const ticking = () => t++; // every reading is 1 ms later than the last
    const load = vi.fn((n: number) => n * 2);
    const cached = ttlMemoize(load, { ttlMs: 2, max: 10, now: ticking });
    cached(1); // written at 1 000: expires at 1 002
    expect(cached(1)).toBe(2); // get() reads 1 001: live; a has() after it would read 1 002: expired
    expect(load).toHaveBeenCalledTimes(1);
    expect(cached.cacheInfo()).toMatchObject({ hits: 1, misses: 1 });
  });

  it('counts a cached undefined as a hit, and a call that throws as a miss that stores nothing', () => {
    let fail = true;
    const lookup = ttlMemoize((n: number): undefined => {
      if (fail && n === 2) throw new Error('not yet');
      return undefined;
    }, { ttlMs: 1_000, max: 10, now: manualClock().now });
    lookup(1);
    lookup(1);
    expect(() => lookup(2)).toThrow('not yet');
    fail = false;
    lookup(2);
    expect(lookup.cacheInfo()).toEqual({ hits: 1, misses: 3, maxSize: 10, currSize: 2 });
  });
});
