import { describe, expect, it } from 'vitest';
// @kata/ is lessons/ under `npm run lesson 1` and solutions/ under `npm run solution 1`.
import { cacheKey } from '@kata/01-memoization/cache-key.js';

describe('cacheKey', () => {
  it('gives the same arguments the same key', () => {
    expect(cacheKey([1, 'a', true])).toBe(cacheKey([1, 'a', true]));
  });

  it('tells f(1, "2") from f("1", 2) (String(args) makes both "1,2")', () => {
    expect(cacheKey([1, '2'])).not.toBe(cacheKey(['1', 2]));
  });

  it('tells a number from its string, and 1 from 1n', () => {
    const keys = new Set([cacheKey([1]), cacheKey(['1']), cacheKey([1n])]);
    expect(keys.size).toBe(3);
  });

  it('tells null, undefined, "null" and "undefined" apart', () => {
    const keys = new Set([cacheKey([null]), cacheKey([undefined]), cacheKey(['null']), cacheKey(['undefined'])]);
    expect(keys.size).toBe(4);
  });

  it('does not let a comma inside a string fake two arguments: f("a,b") is not f("a", "b")', () => {
    expect(cacheKey(['a,b'])).not.toBe(cacheKey(['a', 'b']));
  });

  it('gives two objects with different contents different keys (not both "[object Object]")', () => {
    expect(cacheKey([{ id: 1 }])).not.toBe(cacheKey([{ id: 2 }]));
  });

  it('gives objects with the same contents the same key, whatever the order of their fields', () => {
    expect(cacheKey([{ a: 1, b: [2, 3] }])).toBe(cacheKey([{ b: [2, 3], a: 1 }]));
  });

  it('tells nested arrays apart: [[1, 2], 3] is not [1, [2, 3]]', () => {
    expect(cacheKey([[1, 2], 3])).not.toBe(cacheKey([1, [2, 3]]));
  });

  it('keys dates by their instant', () => {
    expect(cacheKey([new Date(0)])).toBe(cacheKey([new Date(0)]));
    expect(cacheKey([new Date(0)])).not.toBe(cacheKey([new Date(1)]));
  });

  it('throws a TypeError at the call for a circular argument, instead of looping or overflowing', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => cacheKey([loop])).toThrow(TypeError);
  });

  it('throws a TypeError for a function argument, which has no honest key', () => {
    expect(() => cacheKey([() => 1])).toThrow(TypeError);
  });
});
