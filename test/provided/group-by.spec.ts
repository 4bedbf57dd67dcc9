import { describe, expect, it } from 'vitest';
import { groupBy } from '../../provided/group-by.js';

describe('groupBy', () => {
  it('puts items with the same key in one group, groups and items in the order they came', () => {
    const groups = groupBy(['apple', 'bean', 'avocado', 'beet', 'cherry'], (word) => word[0]);
    expect([...groups]).toEqual([
      ['a', ['apple', 'avocado']],
      ['b', ['bean', 'beet']],
      ['c', ['cherry']],
    ]);
  });

  it('takes any iterable, undefined as a key, and nothing at all', () => {
    expect([...groupBy(new Set([1, 2, 3]), (n) => (n === 2 ? undefined : 'odd'))]).toEqual([
      ['odd', [1, 3]],
      [undefined, [2]],
    ]);
    expect(groupBy([], (n) => n).size).toBe(0);
  });
});
