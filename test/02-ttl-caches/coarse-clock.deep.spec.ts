import { afterEach, describe, expect, it, vi } from 'vitest';
import { coarseClock } from '@kata/02-ttl-caches/coarse-clock.js';

describe('coarseClock, deeper', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stands still within one synchronous stretch of code, on the real clock: the price of reading it once', () => {
    const now = coarseClock();
    const first = now();
    const until = performance.now() + 3;
    while (performance.now() < until) {
      // a synchronous stretch of 3 ms: no timer can fire in it
    }
    expect(now()).toBe(first);
  });

  it('starts no timer while a reading is kept: one per resolution, not one per call', () => {
    vi.useFakeTimers();
    const now = coarseClock(5);
    for (let i = 0; i < 100; i++) now();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(5);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives each clock its own reading', () => {
    vi.useFakeTimers();
    const slow = coarseClock(100);
    const fast = coarseClock(1);
    slow();
    fast();
    vi.advanceTimersByTime(1);
    expect(fast()).toBe(slow() + 1);
  });

  it('says what was wrong with resolutionMs', () => {
    expect(() => coarseClock(-1)).toThrow(
      new RangeError('coarseClock: resolutionMs must be a positive, finite number of milliseconds, got -1'),
    );
  });
});
