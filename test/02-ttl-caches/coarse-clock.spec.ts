import { afterEach, describe, expect, it, vi } from 'vitest';
import { coarseClock } from '@kata/02-ttl-caches/coarse-clock.js';
import { expectRefusal } from '../support/refusal.js';

describe('coarseClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers performance.now(): a clock that never jumps back with the system clock', () => {
    vi.useFakeTimers();
    vi.advanceTimersByTime(5_000);
    const now = coarseClock();
    expect(now()).toBe(performance.now());
    vi.setSystemTime(Date.now() - 3_600_000); // moves Date, not performance
    vi.advanceTimersByTime(10);
    expect(now()).toBe(performance.now());
  });

  it('reads performance.now() once, however often it is asked within a millisecond', () => {
    vi.useFakeTimers();
    const reading = vi.spyOn(performance, 'now');
    const now = coarseClock();
    const answers = new Set(Array.from({ length: 1_000 }, () => now()));
    expect(reading).toHaveBeenCalledTimes(1);
    expect(answers.size).toBe(1);
  });

  it('reads it again once the resolution has passed, and keeps that reading as long again', () => {
    vi.useFakeTimers();
    const now = coarseClock(10);
    const first = now();
    vi.advanceTimersByTime(9);
    expect(now()).toBe(first);
    vi.advanceTimersByTime(1);
    const second = now();
    expect(second).toBe(first + 10);
    vi.advanceTimersByTime(5);
    expect(now()).toBe(second);
  });

  it('never keeps the process alive: the timer that forgets a reading does not hold the event loop', () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const now = coarseClock(60_000);
    now();
    expect(timers()).toBe(before);
  });

  it('refuses a resolution that makes no sense with a RangeError that names resolutionMs', async () => {
    await expectRefusal(() => coarseClock(0), RangeError, 'resolutionMs');
    await expectRefusal(() => coarseClock(Number.NaN), RangeError, 'resolutionMs');
    await expectRefusal(() => coarseClock(Number.POSITIVE_INFINITY), RangeError, 'resolutionMs');
  });
});
