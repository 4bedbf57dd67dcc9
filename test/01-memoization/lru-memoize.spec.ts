import { describe, expect, it, vi } from 'vitest';
import { lruMemoize } from '@kata/01-memoization/lru-memoize.js';
import { expectRefusal } from '../support/refusal.js';

describe('lruMemoize (like @lru_cache(maxsize=...))', () => {
  it('counts hits and misses like cache_info()', () => {
    const square = lruMemoize((n: number) => n * n, { max: 128 });
    square(2);
    square(2);
    square(3);
    expect(square.cacheInfo()).toEqual({ hits: 1, misses: 2, maxSize: 128, currSize: 2 });
  });

  it('keeps only the max most recently used results', () => {
    const double = vi.fn((n: number) => n * 2);
    const cached = lruMemoize(double, { max: 2 });
    cached(1);
    cached(2);
    cached(1); // 1 is now more recent than 2
    cached(3); // evicts 2
    cached(1);
    cached(2); // computed again
    expect(double).toHaveBeenCalledTimes(4);
    expect(cached.cacheInfo().currSize).toBe(2);
  });

  it('caches falsy results: a result of 0 counts as a hit next time', () => {
    const zero = lruMemoize((_n: number) => 0, { max: 4 });
    zero(1);
    zero(1);
    expect(zero.cacheInfo().hits).toBe(1);
  });

  it('shares one promise between concurrent calls with the same arguments', async () => {
    const load = vi.fn(async (id: number) => ({ id }));
    const cached = lruMemoize(load, { max: 4 });
    const [a, b] = await Promise.all([cached(1), cached(1)]);
    expect(a).toBe(b);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('keys a method on its receiver: two objects sharing the memoized method get their own answers', () => {
    const name = lruMemoize(function (this: { first: string }, greeting: string) {
      return `${greeting}, ${this.first}`;
    }, { max: 4 });
    const ada = { first: 'Ada', name };
    const alan = { first: 'Alan', name };
    expect([ada.name('Hi'), alan.name('Hi')]).toEqual(['Hi, Ada', 'Hi, Alan']);
  });

  it('refuses a max that is not a positive integer at the call, with a RangeError that names max', async () => {
    await expectRefusal(() => lruMemoize((n: number) => n, { max: -1 }), RangeError, 'max');
  });
});
