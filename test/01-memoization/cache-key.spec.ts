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

  it('tells f(1, 23) from f(12, 3): arguments need a separator, or both are "123"', () => {
    expect(cacheKey([1, 23])).not.toBe(cacheKey([12, 3]));
    expect(cacheKey([[1, 23]])).not.toBe(cacheKey([[12, 3]]));
  });

  it('tells f(null) and f(-0) from f() and from f([])', () => {
    const keys = new Set([cacheKey([null]), cacheKey([-0]), cacheKey([]), cacheKey([[]])]);
    expect(keys.size).toBe(4);
  });

  it('tells an array with a hole, [,], from an empty one (it has a length of 1)', () => {
    expect(cacheKey([[, ]])).not.toBe(cacheKey([[]]));
  });

  it('keys a BigInt by its value: 1n and 2n differ, 1n and 1n agree', () => {
    expect(cacheKey([1n])).not.toBe(cacheKey([2n]));
    expect(cacheKey([10n ** 30n])).toBe(cacheKey([10n ** 30n]));
  });

  it('tells 0 from -0 (1 / x does), and keys NaN like NaN', () => {
    expect(cacheKey([0])).not.toBe(cacheKey([-0]));
    expect(cacheKey([Number.NaN])).toBe(cacheKey([Number.NaN]));
  });

  it('accepts the same object twice, f(o, o): that is not a cycle', () => {
    const o = { id: 1 };
    expect(cacheKey([o, o])).toBe(cacheKey([{ id: 1 }, { id: 1 }]));
    expect(cacheKey([[o, o]])).toBe(cacheKey([[{ id: 1 }, { id: 1 }]]));
  });

  it('keys a Map by its entries, whatever their order, and not like an array of pairs or an object', () => {
    const map = new Map<unknown, unknown>([[1, 'a'], ['b', { c: 2 }]]);
    expect(cacheKey([map])).toBe(cacheKey([new Map<unknown, unknown>([['b', { c: 2 }], [1, 'a']])]));
    expect(cacheKey([map])).not.toBe(cacheKey([new Map<unknown, unknown>([[1, 'a'], ['b', { c: 3 }]])]));
    expect(cacheKey([map])).not.toBe(cacheKey([new Map<unknown, unknown>([['1', 'a'], ['b', { c: 2 }]])]));
    expect(cacheKey([map])).not.toBe(cacheKey([new Map()]));
    expect(cacheKey([new Map([[1, 2]])])).not.toBe(cacheKey([[[1, 2]]]));
    expect(cacheKey([new Map([['a', 1]])])).not.toBe(cacheKey([{ a: 1 }]));
  });

  it('keys a Set by its members, whatever their order, and not like an array', () => {
    expect(cacheKey([new Set([1, 'x'])])).toBe(cacheKey([new Set(['x', 1])]));
    expect(cacheKey([new Set([1, 23])])).not.toBe(cacheKey([new Set([12, 3])]));
    expect(cacheKey([new Set([1])])).not.toBe(cacheKey([new Set([2])]));
    expect(cacheKey([new Set([1])])).not.toBe(cacheKey([new Set()]));
    expect(cacheKey([new Set([1, 2])])).not.toBe(cacheKey([[1, 2]]));
  });

  it('keys an object without a prototype like a plain object with the same fields', () => {
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    expect(cacheKey([bare])).toBe(cacheKey([{ a: 1 }]));
  });

  it('throws a TypeError that names the class for a class instance (its private state is not in any key)', () => {
    class Point {
      #secret = Math.random();
      constructor(readonly x: number) {}
      get secret() {
        return this.#secret;
      }
    }
    expect(() => cacheKey([new Point(1)])).toThrow(new TypeError('cacheKey: cannot build a key from a Point instance; pass plain data (objects, arrays, primitives)'));
    expect(() => cacheKey([/regex/])).toThrow(/RegExp instance/);
    const orphan = Object.create(Object.create(null) as object) as object; // a prototype without a constructor
    expect(() => cacheKey([orphan])).toThrow(/a class instance/);
  });

  it('throws a TypeError at the call for a circular argument, instead of looping or overflowing', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => cacheKey([loop])).toThrow(new TypeError('cacheKey: cannot build a key from a circular argument'));
  });

  it('throws a TypeError for a function or a symbol argument, which has no honest key', () => {
    expect(() => cacheKey([() => 1])).toThrow(new TypeError('cacheKey: cannot build a key from a function argument'));
    expect(() => cacheKey([Symbol('s')])).toThrow(new TypeError('cacheKey: cannot build a key from a symbol argument'));
  });

  it('throws a TypeError for an object with symbol keys, which would be left out of its key', () => {
    expect(() => cacheKey([{ [Symbol('id')]: 1 }])).toThrow(/symbol keys/);
  });
});

describe('cacheKey with a receiver (the `this` of a method)', () => {
  it('tells two receivers apart, even with the same contents: a.area() is not b.area()', () => {
    const a = { s: 1 };
    const b = { s: 1 };
    expect(cacheKey([], a)).not.toBe(cacheKey([], b));
    expect(cacheKey([2], a)).toBe(cacheKey([2], a));
    expect(cacheKey([2], a)).not.toBe(cacheKey([3], a));
  });

  it('gives a call without a receiver the same key as cacheKey(args), and one with a receiver another', () => {
    expect(cacheKey([1], undefined)).toBe(cacheKey([1]));
    expect(cacheKey([1], {})).not.toBe(cacheKey([1]));
  });

  it('keys a receiver that holds functions (the method itself) without throwing', () => {
    const shape = { s: 1, area() {} };
    expect(() => cacheKey([], shape)).not.toThrow();
    class Shape {}
    expect(cacheKey([], Shape)).not.toBe(cacheKey([], class Other {}));
  });

  it('keys a primitive receiver (f.call(5) in strict mode) by its value', () => {
    expect(cacheKey([], 5)).toBe(cacheKey([], 5));
    expect(cacheKey([], 5)).not.toBe(cacheKey([], '5'));
    expect(cacheKey([], null)).not.toBe(cacheKey([]));
  });
});
