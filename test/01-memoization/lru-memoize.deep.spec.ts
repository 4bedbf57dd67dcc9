import { describe, expect, it, vi } from 'vitest';
import { lruMemoize } from '@kata/01-memoization/lru-memoize.js';

describe('lruMemoize, deeper', () => {
  it('cacheClear forgets every result and resets the counters', () => {
    const double = vi.fn((n: number) => n * 2);
    const cached = lruMemoize(double, { max: 4 });
    cached(1);
    cached(1);
    cached.cacheClear();
    expect(cached.cacheInfo()).toEqual({ hits: 0, misses: 0, maxSize: 4, currSize: 0 });
    cached(1);
    expect(double).toHaveBeenCalledTimes(2);
  });

  it('shares one promise between concurrent calls and forgets a rejected one', async () => {
    const down = new Error('down');
    let fail = true;
    const load = vi.fn(async (id: number) => {
      if (fail) throw down;
      return { id };
    });
    const cached = lruMemoize(load, { max: 4 });
    const first = [cached(1), cached(1)];
    expect(load).toHaveBeenCalledTimes(1);
    await expect(Promise.all(first)).rejects.toBe(down);
    fail = false;
    await expect(cached(1)).resolves.toEqual({ id: 1 });
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('a rejection of an evicted promise does not drop the newer result under the same key', async () => {
    const settle: Array<(e: Error) => void> = [];
    const load = vi.fn((id: number) => (id === 1 && settle.length === 0 ? new Promise<number>((_, reject) => settle.push(reject)) : Promise.resolve(id)));
    const cached = lruMemoize(load, { max: 1 });
    const old = cached(1);
    void cached(2); // evicts 1
    const fresh = cached(1); // evicts 2
    const late = new Error('late failure');
    settle[0]!(late);
    await expect(old).rejects.toBe(late);
    expect(cached(1)).toBe(fresh);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('counts a cached undefined as a hit, and a call that throws as a miss that stores nothing', () => {
    let fail = true;
    const lookup = lruMemoize((n: number) => {
      if (fail && n === 2) throw new Error('not yet');
      return undefined;
    }, { max: 4 });
    lookup(1);
    lookup(1);
    expect(() => lookup(2)).toThrow('not yet');
    fail = false;
    lookup(2);
    expect(lookup.cacheInfo()).toEqual({ hits: 1, misses: 3, maxSize: 4, currSize: 2 });
  });
});
