import { afterEach, describe, expect, it, vi } from 'vitest';
import { ttlMemoize } from '@kata/02-ttl-caches/ttl-memoize.js';
import { expectRefusal } from '../support/refusal.js';
import { manualClock } from './manual-clock.js';

describe('ttlMemoize (the source\'s @cached_with_ttl, done right)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reuses a result for ttlMs, then computes it again (on the clock you give it)', () => {
    const clock = manualClock();
    const load = vi.fn((id: number) => ({ id, loadedAt: clock.now() }));
    const cached = ttlMemoize(load, { ttlMs: 60_000, max: 100, now: clock.now });
    const first = cached(1);
    clock.advance(59_999);
    expect(cached(1)).toBe(first);
    clock.advance(1);
    expect(cached(1)).not.toBe(first);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('keeps each function\'s results apart (the source\'s module-level dicts let get_user(1) answer get_order(1))', () => {
    const now = manualClock().now;
    const getUser = ttlMemoize((id: number) => `user ${id}`, { ttlMs: 1_000, max: 10, now });
    const getOrder = ttlMemoize((id: number) => `order ${id}`, { ttlMs: 1_000, max: 10, now });
    expect(getUser(1)).toBe('user 1');
    expect(getOrder(1)).toBe('order 1');
  });

  it('tells f(1, "2") from f("1", 2) (str(args) makes both the same key)', () => {
    const now = manualClock().now;
    const describeArgs = ttlMemoize((a: unknown, b: unknown) => `${typeof a},${typeof b}`, { ttlMs: 1_000, max: 10, now });
    expect(describeArgs(1, '2')).toBe('number,string');
    expect(describeArgs('1', 2)).toBe('string,number');
  });

  it('holds at most max results, however many different arguments it sees', () => {
    const square = ttlMemoize((n: number) => n * n, { ttlMs: 60_000, max: 100, now: manualClock().now });
    for (let n = 0; n < 10_000; n++) square(n);
    expect(square.cacheInfo().currSize).toBe(100);
  });

  it('caches falsy results: a result of undefined or 0 is a hit next time', () => {
    const nothing = vi.fn((_id: number): number | undefined => undefined);
    const cached = ttlMemoize(nothing, { ttlMs: 1_000, max: 10, now: manualClock().now });
    cached(1);
    cached(1);
    expect(nothing).toHaveBeenCalledTimes(1);
    expect(cached.cacheInfo()).toMatchObject({ hits: 1, misses: 1 });
  });

  it('reads a monotonic clock by default: setting the system clock back an hour does not keep a result alive', () => {
    vi.useFakeTimers();
    const load = vi.fn((id: number) => ({ id }));
    const cached = ttlMemoize(load, { ttlMs: 1_000, max: 10 });
    cached(1);
    vi.setSystemTime(Date.now() - 3_600_000);
    vi.advanceTimersByTime(1_000);
    cached(1);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('does not keep a rejected promise: the next call tries again', async () => {
    const hiccup = new Error('database hiccup');
    let attempt = 0;
    const flaky = vi.fn(async () => {
      attempt++;
      if (attempt === 1) throw hiccup;
      return 'ok';
    });
    const cached = ttlMemoize(flaky, { ttlMs: 1_000, max: 10, now: manualClock().now });
    await expect(cached()).rejects.toBe(hiccup);
    await expect(cached()).resolves.toBe('ok');
    await expect(cached()).resolves.toBe('ok');
    expect(flaky).toHaveBeenCalledTimes(2);
  });

  it('keys a method on its receiver (as lru_cache keys on self): a.area() is not b.area()', () => {
    const area = ttlMemoize(function (this: { s: number }) {
      return this.s * this.s;
    }, { ttlMs: 1_000, max: 10, now: manualClock().now });
    const a = { s: 1, area };
    const b = { s: 10, area };
    expect([a.area(), b.area(), a.area()]).toEqual([1, 100, 1]);
    expect(area.cacheInfo()).toMatchObject({ hits: 1, misses: 2 });
  });

  it('refuses a TTL or a max that makes no sense at the call, with a RangeError that names it', async () => {
    await expectRefusal(() => ttlMemoize((n: number) => n, { ttlMs: 0, max: 10 }), RangeError, 'ttlMs');
    await expectRefusal(() => ttlMemoize((n: number) => n, { ttlMs: 1_000, max: 0 }), RangeError, /* TtlCache's name for it */ 'maxSize');
  });
});
