import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_PRIORITY, MAX_PRIORITY, MIN_PRIORITY, PriorityCache } from '@kata/09-advanced-techniques/priority-cache.js';
import { expectRefusal } from '../support/refusal.js';

const keysOf = (cache: { has(key: string): boolean }, keys: string[]) => keys.filter((key) => cache.has(key));

describe('PriorityCache', () => {
  it('uses the source\'s scale: priorities 1 to 10, 5 when none is given', () => {
    expect([MIN_PRIORITY, DEFAULT_PRIORITY, MAX_PRIORITY]).toEqual([1, 5, 10]);
  });

  it('evicts the lowest priority first, even when it was used last', () => {
    const cache = new PriorityCache<string, number>({ maxWeight: 2 });
    cache.set('important', 1, { priority: 9 });
    cache.set('cheap', 2, { priority: 2 });
    cache.get('cheap');
    cache.set('new', 3, { priority: 5 });
    expect(keysOf(cache, ['important', 'cheap', 'new'])).toEqual(['important', 'new']);
  });

  it('evicts the least recently used within one priority, and get() counts as a use', () => {
    const cache = new PriorityCache<string, number>({ maxWeight: 3 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBe(1);
    cache.set('d', 4);
    expect(keysOf(cache, ['a', 'b', 'c', 'd'])).toEqual(['a', 'c', 'd']);
    cache.set('e', 5);
    expect(keysOf(cache, ['a', 'b', 'c', 'd', 'e'])).toEqual(['a', 'd', 'e']);
  });

  it('does not count has() as a use', () => {
    const cache = new PriorityCache<string, number>({ maxWeight: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.has('a')).toBe(true);
    cache.set('c', 3);
    expect(cache.has('a')).toBe(false);
  });

  it('treats an entry without a priority as priority 5: after 4, before 6', () => {
    const cache = new PriorityCache<string, number>({ maxWeight: 2 });
    cache.set('six', 6, { priority: 6 });
    cache.set('four', 4, { priority: 4 });
    cache.set('default', 5);
    expect(keysOf(cache, ['six', 'four', 'default'])).toEqual(['six', 'default']);
    cache.set('seven', 7, { priority: 7 });
    expect(keysOf(cache, ['six', 'default', 'seven'])).toEqual(['six', 'seven']);
  });

  it('does not keep a low-priority entry in a cache full of higher ones: set() says false', () => {
    const cache = new PriorityCache<string, number>({ maxWeight: 2 });
    expect(cache.set('a', 1, { priority: 8 })).toBe(true);
    expect(cache.set('b', 2, { priority: 8 })).toBe(true);
    expect(cache.set('low', 3, { priority: 1 })).toBe(false);
    expect(keysOf(cache, ['a', 'b', 'low'])).toEqual(['a', 'b']);
  });

  it('bounds the total weight: a heavy entry evicts as many light ones as it takes', () => {
    const cache = new PriorityCache<string, string>({ maxWeight: 10 });
    for (const key of ['a', 'b', 'c', 'd', 'e']) cache.set(key, key, { weight: 2 });
    expect(cache.weight).toBe(10);
    cache.set('big', 'big', { weight: 5 });
    expect(keysOf(cache, ['a', 'b', 'c', 'd', 'e', 'big'])).toEqual(['d', 'e', 'big']);
    expect(cache.weight).toBe(9);
    expect(cache.size).toBe(3);
  });

  it('refuses an entry heavier than maxWeight without evicting anything, and drops the old value under its key', () => {
    const cache = new PriorityCache<string, string>({ maxWeight: 10 });
    cache.set('a', 'a', { weight: 3 });
    cache.set('b', 'old b', { weight: 3 });
    expect(cache.set('b', 'huge b', { weight: 11, priority: 10 })).toBe(false);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('a');
    expect(cache.weight).toBe(3);
  });

  it('replaces an entry\'s value, priority and weight when it is set again, counting its weight once', () => {
    const cache = new PriorityCache<string, string>({ maxWeight: 10 });
    cache.set('a', 'v1', { weight: 4, priority: 1 });
    cache.set('a', 'v2', { weight: 6, priority: 9 });
    expect(cache.weight).toBe(6);
    expect(cache.size).toBe(1);
    cache.set('b', 'b', { weight: 4, priority: 5 });
    cache.set('c', 'c', { weight: 1, priority: 5 });
    expect(keysOf(cache, ['a', 'b', 'c'])).toEqual(['a', 'c']);
    expect(cache.get('a')).toBe('v2');
  });

  it('frees an entry\'s weight on delete(), and says whether there was one', () => {
    const cache = new PriorityCache<string, number>({ maxWeight: 10 });
    cache.set('a', 1, { weight: 7 });
    expect(cache.delete('a')).toBe(true);
    expect(cache.delete('a')).toBe(false);
    expect(cache.weight).toBe(0);
    expect(cache.size).toBe(0);
    expect(cache.set('b', 2, { weight: 10 })).toBe(true);
  });

  it('tells onEvict about evictions (key, value, priority), not about delete() or a replaced value', () => {
    const onEvict = vi.fn();
    const cache = new PriorityCache<string, string>({ maxWeight: 2, onEvict });
    cache.set('a', 'A', { priority: 3 });
    cache.set('a', 'A2', { priority: 3 });
    cache.set('b', 'B', { priority: 7 });
    cache.delete('b');
    expect(onEvict).not.toHaveBeenCalled();
    cache.set('c', 'C', { priority: 7 });
    cache.set('d', 'D', { priority: 7 });
    expect(onEvict).toHaveBeenCalledTimes(1);
    expect(onEvict).toHaveBeenCalledWith('a', 'A2', 3);
  });

  it('refuses a priority that is not a whole number from 1 to 10, a weight or a maxWeight that is not a positive integer (RangeError), and keeps the old entry', async () => {
    await expectRefusal(() => new PriorityCache({ maxWeight: 0 }), RangeError, 'maxWeight');
    const cache = new PriorityCache<string, string>({ maxWeight: 10 });
    cache.set('a', 'kept');
    await expectRefusal(() => cache.set('a', 'bad', { priority: 11 }), RangeError, 'priority');
    await expectRefusal(() => cache.set('a', 'bad', { priority: 2.5 }), RangeError, 'priority');
    await expectRefusal(() => cache.set('a', 'bad', { weight: 0 }), RangeError, 'weight');
    expect(cache.get('a')).toBe('kept');
  });
});
