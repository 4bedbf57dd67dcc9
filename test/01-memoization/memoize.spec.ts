import { describe, expect, it, vi } from 'vitest';
import { memoize } from '@kata/01-memoization/memoize.js';
import { expectRefusal } from '../support/refusal.js';

describe('memoize (like @cache)', () => {
  it('calls the function once per distinct argument list', () => {
    const square = vi.fn((n: number) => n * n);
    const cached = memoize(square);
    expect([cached(3), cached(3), cached(4), cached(3)]).toEqual([9, 9, 16, 9]);
    expect(square).toHaveBeenCalledTimes(2);
  });

  it('caches falsy results such as 0 and \'\' (the naive `if (cached)` misses them)', () => {
    const zero = vi.fn((_n: number) => 0);
    const empty = vi.fn((_s: string) => '');
    const cachedZero = memoize(zero);
    const cachedEmpty = memoize(empty);
    cachedZero(1);
    cachedZero(1);
    cachedEmpty('x');
    cachedEmpty('x');
    expect(zero).toHaveBeenCalledTimes(1);
    expect(empty).toHaveBeenCalledTimes(1);
  });

  it('caches false, null and undefined results too', () => {
    const answers = [false, null, undefined];
    const lookup = vi.fn((i: number) => answers[i]);
    const cached = memoize(lookup);
    for (const i of [0, 1, 2, 0, 1, 2]) cached(i);
    expect(lookup).toHaveBeenCalledTimes(3);
  });

  it('does not confuse f(1, "2") with f("1", 2)', () => {
    const join = vi.fn((a: unknown, b: unknown) => `${typeof a}:${typeof b}`);
    const cached = memoize(join);
    expect(cached(1, '2')).toBe('number:string');
    expect(cached('1', 2)).toBe('string:number');
  });

  it('makes a recursive function fast when it calls its memoized self (fibonacci(90) in 91 calls)', () => {
    let calls = 0;
    const fibonacci: (n: number) => number = memoize((n: number): number => {
      calls++;
      return n < 2 ? n : fibonacci(n - 1) + fibonacci(n - 2);
    });
    expect(fibonacci(90)).toBe(2880067194370816000);
    expect(calls).toBe(91);
  });

  it('shares one promise between concurrent calls with the same arguments', async () => {
    const load = vi.fn(async (id: number) => ({ id }));
    const cached = memoize(load);
    const [a, b] = await Promise.all([cached(7), cached(7)]);
    expect(a).toBe(b);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not cache a rejected promise: the next call tries again', async () => {
    const hiccup = new Error('database hiccup');
    let attempt = 0;
    const flaky = vi.fn(async () => {
      attempt++;
      if (attempt === 1) throw hiccup;
      return 'ok';
    });
    const cached = memoize(flaky);
    await expect(cached()).rejects.toBe(hiccup);
    await expect(cached()).resolves.toBe('ok');
    await expect(cached()).resolves.toBe('ok');
    expect(flaky).toHaveBeenCalledTimes(2);
  });

  it('keys a method on its receiver (as lru_cache keys on self): a.area() is not b.area()', () => {
    const compute = vi.fn(function (this: { s: number }) {
      return this.s * this.s;
    });
    const area = memoize(compute);
    const a = { s: 1, area };
    const b = { s: 10, area };
    expect([a.area(), b.area(), a.area(), b.area()]).toEqual([1, 100, 1, 100]);
    expect(compute).toHaveBeenCalledTimes(2);
  });

  it('passes cacheKey\'s refusal of an argument with no key on to the caller', async () => {
    const cached = memoize((f: () => number) => f());
    await expectRefusal(() => cached(() => 1), TypeError, 'args');
  });
});
