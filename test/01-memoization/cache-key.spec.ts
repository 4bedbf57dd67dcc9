import { describe, expect, it } from 'vitest';
// @kata/ is lessons/ under `npm run lesson 1` and solutions/ under `npm run solution 1`.
import { cacheKey } from '@kata/01-memoization/cache-key.js';
import { expectRefusal } from '../support/refusal.js';

/** How many different keys the calls got. */
const distinct = (...calls: unknown[][]) => new Set(calls.map((args) => cacheKey(args))).size;

describe('cacheKey', () => {
  it('gives the same arguments the same key', () => {
    expect(cacheKey([1, 'a', true, null])).toBe(cacheKey([1, 'a', true, null]));
  });

  it('tells f(1, "2") from f("1", 2) (String(args) makes both "1,2")', () => {
    expect(cacheKey([1, '2'])).not.toBe(cacheKey(['1', 2]));
  });

  it('tells a value from its string: 1 and "1", true and "true", null, undefined, "null" and "undefined"', () => {
    expect(distinct([1], ['1'], [true], ['true'], [null], [undefined], ['null'], ['undefined'])).toBe(8);
  });

  it('keeps arguments apart: f("a,b") is not f("a", "b"), f(1, 23) is not f(12, 3), f() is not f([])', () => {
    expect(distinct(['a,b'], ['a', 'b'])).toBe(2);
    expect(distinct([1, 23], [12, 3])).toBe(2);
    expect(distinct([], [[]], [null])).toBe(3);
  });

  it('gives two objects with different contents different keys (not both "[object Object]")', () => {
    expect(cacheKey([{ id: 1 }])).not.toBe(cacheKey([{ id: 2 }]));
    expect(cacheKey([{ id: 1 }])).not.toBe(cacheKey([{ ID: 1 }]));
  });

  it('gives objects with the same contents the same key, whatever the order of their fields', () => {
    expect(cacheKey([{ a: 1, b: [2, 3] }])).toBe(cacheKey([{ b: [2, 3], a: 1 }]));
  });

  it('tells nested arrays apart: [[1, 2], 3] is not [1, [2, 3]], and [1, 2] is not {0: 1, 1: 2}', () => {
    expect(distinct([[1, 2], 3], [1, [2, 3]], [{ 0: 1, 1: 2 }], [[1, 2]])).toBe(4);
  });

  it('refuses, with a TypeError that names args, a function or a symbol: it has no honest key', async () => {
    await expectRefusal(() => cacheKey([() => 1]), TypeError, 'args');
    await expectRefusal(() => cacheKey([{ onDone: () => 1 }]), TypeError, 'args');
    await expectRefusal(() => cacheKey([Symbol('s')]), TypeError, 'args');
  });
});

describe('cacheKey with a receiver (the `this` of a method)', () => {
  it('tells two receivers apart, even with the same contents: a.area() is not b.area()', () => {
    const a = { s: 1 };
    const b = { s: 1 };
    expect(cacheKey([], a)).not.toBe(cacheKey([], b));
  });

  it('gives the same receiver and arguments the same key, and other arguments another', () => {
    const a = { s: 1 };
    expect(cacheKey([2], a)).toBe(cacheKey([2], a));
    expect(cacheKey([2], a)).not.toBe(cacheKey([3], a));
  });

  it('gives a call without a receiver the same key as cacheKey(args), and one with a receiver another', () => {
    expect(cacheKey([1], undefined)).toBe(cacheKey([1]));
    expect(cacheKey([1], {})).not.toBe(cacheKey([1]));
  });

  it('keys a receiver that holds the memoized method itself without refusing it', () => {
    const shape = { s: 1, area() {} };
    expect(cacheKey([], shape)).toBe(cacheKey([], shape));
  });
});
