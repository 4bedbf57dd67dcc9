import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_PRIORITY, MAX_PRIORITY, MIN_PRIORITY, PriorityCache } from '@kata/09-advanced-techniques/priority-cache.js';

const keysOf = (cache: { has(key: string): boolean }, keys: string[]) => keys.filter((key) => cache.has(key));

describe('PriorityCache, every corner', () => {
  it('stores falsy values and tells them from a miss', () => {
    const cache = new PriorityCache<string, unknown>({ maxWeight: 10 });
    for (const [key, value] of [['zero', 0], ['empty', ''], ['no', false], ['null', null]] as const) {
      cache.set(key, value);
      expect(cache.get(key)).toBe(value);
      expect(cache.has(key)).toBe(true);
    }
    expect(cache.has('missing')).toBe(false);
  });

  it('refuses a priority that is not a whole number from 1 to 10 (NaN, 0, 11, 2.5, Infinity, "5"), and keeps the old entry', () => {
    const cache = new PriorityCache<string, string>({ maxWeight: 10 });
    cache.set('a', 'kept');
    for (const priority of [Number.NaN, 0, 11, 2.5, Number.POSITIVE_INFINITY, -1, '5' as unknown as number]) {
      expect(() => cache.set('a', 'bad', { priority }), String(priority)).toThrow(RangeError);
    }
    expect(cache.get('a')).toBe('kept');
    expect(cache.weight).toBe(1);
  });

  it('refuses a weight that is not a positive integer, and a maxWeight that is not one', () => {
    const cache = new PriorityCache<string, string>({ maxWeight: 10 });
    for (const weight of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => cache.set('a', 'x', { weight }), String(weight)).toThrow(RangeError);
    }
    expect(cache.size).toBe(0);
    for (const maxWeight of [0, -5, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new PriorityCache({ maxWeight }), String(maxWeight)).toThrow(RangeError);
    }
  });

  it('accepts maxWeight 1: a cache of one entry', () => {
    const cache = new PriorityCache<string, number>({ maxWeight: 1 });
    expect(cache.set('a', 1)).toBe(true);
    expect(cache.set('b', 2)).toBe(true);
    expect(keysOf(cache, ['a', 'b'])).toEqual(['b']);
  });

  it('names the option and the bad value in its errors', () => {
    expect(() => new PriorityCache({ maxWeight: 0 })).toThrow(/maxWeight .*got 0/);
    const cache = new PriorityCache<string, string>({ maxWeight: 10 });
    expect(() => cache.set('a', 'x', { priority: 11 })).toThrow(/priority .*1 to 10, got 11/);
    expect(() => cache.set('a', 'x', { weight: 1.5 })).toThrow(/weight .*got 1.5/);
  });

  it('agrees with a slow model on 5,000 random operations (evict the lowest priority, then the least recently used)', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const maxWeight = 40;
    const cache = new PriorityCache<number, number>({ maxWeight });
    // The model: every entry with the time of its last use; evict the smallest (priority, lastUse).
    const model = new Map<number, { value: number; priority: number; weight: number; used: number }>();
    for (let step = 0; step < 5_000; step++) {
      const key = Math.floor(random() * 60);
      if (random() < 0.5) {
        const entry = model.get(key);
        if (entry) entry.used = step;
        expect(cache.get(key)).toBe(entry?.value);
        continue;
      }
      const priority = 1 + Math.floor(random() * 10);
      const weight = 1 + Math.floor(random() * 8);
      cache.set(key, step, { priority, weight });
      model.delete(key);
      model.set(key, { value: step, priority, weight, used: step });
      let total = [...model.values()].reduce((sum, e) => sum + e.weight, 0);
      while (total > maxWeight) {
        const [victim, entry] = [...model].reduce((a, b) =>
          b[1].priority < a[1].priority || (b[1].priority === a[1].priority && b[1].used < a[1].used) ? b : a,
        );
        model.delete(victim);
        total -= entry.weight;
      }
      expect(cache.weight).toBe(total);
      expect(cache.size).toBe(model.size);
    }
  });

  it('stays within maxWeight, with its size and weight right, when onEvict throws', () => {
    const cache = new PriorityCache<string, number>({ maxWeight: 4, onEvict: () => { throw new Error('a broken listener'); } });
    for (const key of ['a', 'b', 'c', 'd']) cache.set(key, 1);
    expect(() => cache.set('big', 2, { weight: 4, priority: 9 })).toThrow('a broken listener');
    expect(cache.weight).toBe(4);
    expect(cache.size).toBe(1);
    expect(keysOf(cache, ['a', 'b', 'c', 'd', 'big'])).toEqual(['big']);
    expect(() => cache.set('e', 5)).toThrow('a broken listener'); // evicted at once, and its listener told
    expect(cache.weight).toBe(4);
    expect(keysOf(cache, ['big', 'e'])).toEqual(['big']);
  });

  it('tells onEvict only once the cache is within its bound, so a listener may read, set and delete', () => {
    const seen: Array<{ key: string; weight: number; size: number }> = [];
    const cache: PriorityCache<string, number> = new PriorityCache<string, number>({
      maxWeight: 4,
      onEvict: (key) => {
        seen.push({ key, weight: cache.weight, size: cache.size });
        cache.delete('b');
      },
    });
    cache.set('a', 1, { priority: 1 });
    cache.set('b', 2, { priority: 2 });
    cache.set('c', 3, { weight: 3, priority: 3 });
    expect(seen).toEqual([{ key: 'a', weight: 4, size: 2 }]);
    expect(cache.weight).toBe(3);
    expect(keysOf(cache, ['a', 'b', 'c'])).toEqual(['c']);
  });

  it('tells onEvict of every entry one set evicted, oldest of the lowest priority first', () => {
    const onEvict = vi.fn();
    const cache = new PriorityCache<string, string>({ maxWeight: 4, onEvict });
    cache.set('a', 'A', { priority: 2 });
    cache.set('b', 'B', { priority: 1 });
    cache.set('c', 'C', { priority: 2 });
    cache.set('big', 'BIG', { weight: 3, priority: 9 });
    expect(onEvict.mock.calls).toEqual([['b', 'B', 1], ['a', 'A', 2]]);
    expect(keysOf(cache, ['a', 'b', 'c', 'big'])).toEqual(['c', 'big']);
  });
});
