import { describe, expect, it, vi } from 'vitest';
import { lruMemoize } from '@kata/01-memoization/lru-memoize.js';

describe('lruMemoize, deeper', () => {
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
