import { describe, expect, it, vi } from 'vitest';
import { memoize } from '@kata/01-memoization/memoize.js';

describe('memoize, deeper', () => {
  it('forgets only its own rejected promise: an old call failing late does not drop a newer call\'s result', async () => {
    const store = new Map<string, Promise<string>>();
    const settle: Array<{ resolve: (v: string) => void; reject: (e: Error) => void }> = [];
    const load = vi.fn(() => new Promise<string>((resolve, reject) => settle.push({ resolve, reject })));
    const cached = memoize(load, store);
    const old = cached();
    store.clear(); // as an LRU eviction or a cacheClear() would
    const fresh = cached();
    const late = new Error('late failure');
    settle[0]!.reject(late);
    await expect(old).rejects.toBe(late);
    expect(cached()).toBe(fresh);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('stores nothing for a call that throws, or whose arguments have no key: the next call runs the function again', () => {
    const store = new Map<string, number>();
    let fail = true;
    const cached = memoize((n: number) => {
      if (fail) throw new Error('not yet');
      return n;
    }, store);
    expect(() => cached(1)).toThrow('not yet');
    expect(store.size).toBe(0);
    fail = false;
    expect(cached(1)).toBe(1);
    const withCallback = memoize((f: () => number) => f(), store);
    expect(() => withCallback(() => 2)).toThrow(TypeError);
    expect(store.size).toBe(1);
  });

  it('calls the function with the receiver and arguments it was given', () => {
    const seen: unknown[] = [];
    const record = memoize(function (this: unknown, a: number, b: string) {
      seen.push(this, a, b);
      return a;
    });
    const receiver = { record };
    receiver.record(1, 'x');
    expect(seen).toEqual([receiver, 1, 'x']);
  });
});
