import { describe, expect, it } from 'vitest';
import { cacheKey } from '@kata/01-memoization/cache-key.js';

/** How many different keys the calls got. */
const distinct = (...calls: unknown[][]) => new Set(calls.map((args) => cacheKey(args))).size;

describe('cacheKey, deeper: every kind of value', () => {
  it('tells a number from 1n, and keys a BigInt by its value: 1n and 2n differ, 10n ** 30n agrees with itself', () => {
    expect(distinct([1], ['1'], [1n], [2n], ['1n'])).toBe(5);
    expect(cacheKey([10n ** 30n])).toBe(cacheKey([10n ** 30n]));
  });

  it('tells 0 from -0 (1 / x does), and keys NaN like NaN', () => {
    expect(cacheKey([0])).not.toBe(cacheKey([-0]));
    expect(cacheKey([[-0]])).not.toBe(cacheKey([[0]]));
    expect(cacheKey([Number.NaN])).toBe(cacheKey([Number.NaN]));
    expect(distinct([null], [-0], [], [[]])).toBe(4);
  });

  it('tells an array with a hole, [,], from an empty one (it has a length of 1)', () => {
    expect(cacheKey([[, ]])).not.toBe(cacheKey([[]]));
  });

  it('keeps the items of a nested array apart: [[1, 23]] is not [[12, 3]]', () => {
    expect(cacheKey([[1, 23]])).not.toBe(cacheKey([[12, 3]]));
  });

  it('keys dates by their instant', () => {
    expect(cacheKey([new Date(0)])).toBe(cacheKey([new Date(0)]));
    expect(cacheKey([new Date(0)])).not.toBe(cacheKey([new Date(1)]));
    expect(cacheKey([new Date(0)])).not.toBe(cacheKey([0]));
  });

  it('accepts the same object twice, f(o, o): that is not a cycle', () => {
    const o = { id: 1 };
    expect(cacheKey([o, o])).toBe(cacheKey([{ id: 1 }, { id: 1 }]));
    expect(cacheKey([[o, o]])).toBe(cacheKey([[{ id: 1 }, { id: 1 }]]));
    expect(cacheKey([{ a: o, b: o }])).toBe(cacheKey([{ a: { id: 1 }, b: { id: 1 } }]));
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

  it('keeps the entries of a Map apart: {0 => 1, 23 => 4} is not {0 => 12, 3 => 4}', () => {
    const a = new Map([[0, 1], [23, 4]]);
    const b = new Map([[0, 12], [3, 4]]);
    expect(cacheKey([a])).not.toBe(cacheKey([b]));
  });

  it('keys a Set by its members, whatever their order, and not like an array', () => {
    expect(cacheKey([new Set([1, 'x'])])).toBe(cacheKey([new Set(['x', 1])]));
    expect(cacheKey([new Set([1, 23])])).not.toBe(cacheKey([new Set([12, 3])]));
    expect(cacheKey([new Set([1])])).not.toBe(cacheKey([new Set([2])]));
    expect(cacheKey([new Set([1])])).not.toBe(cacheKey([new Set()]));
    expect(cacheKey([new Set([1, 2])])).not.toBe(cacheKey([[1, 2]]));
  });

  it('looks inside Maps and Sets: a function or a cycle there is refused too', () => {
    expect(() => cacheKey([new Map([['f', () => 1]])])).toThrow(TypeError);
    expect(() => cacheKey([new Set([() => 1])])).toThrow(TypeError);
    const map = new Map<string, unknown>();
    map.set('self', map);
    expect(() => cacheKey([map])).toThrow(/circular/);
  });

  it('keys an object without a prototype like a plain object with the same fields', () => {
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    expect(cacheKey([bare])).toBe(cacheKey([{ a: 1 }]));
  });
});

describe('cacheKey, deeper: what has no key, refused at the call with a message that says why', () => {
  it('a function or a symbol argument', () => {
    expect(() => cacheKey([() => 1])).toThrow(new TypeError('cacheKey: args hold a function, which has no key; pass plain data'));
    expect(() => cacheKey([Symbol('s')])).toThrow(new TypeError('cacheKey: args hold a symbol, which has no key; pass plain data'));
  });

  it('a circular argument, instead of looping or overflowing the stack', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => cacheKey([loop])).toThrow(new TypeError('cacheKey: args hold a circular structure, which has no key'));
    const list: unknown[] = [];
    list.push([list]);
    expect(() => cacheKey([list])).toThrow(/circular/);
  });

  it('a class instance, named by its class (its private state is in no key)', () => {
    class Point {
      #secret = Math.random();
      constructor(readonly x: number) {}
      get secret() {
        return this.#secret;
      }
    }
    expect(() => cacheKey([new Point(1)])).toThrow(
      new TypeError('cacheKey: args hold a Point instance, which has no key; pass plain data (objects, arrays, primitives)'),
    );
    expect(() => cacheKey([/regex/])).toThrow(/RegExp instance/);
    const orphan = Object.create(Object.create(null) as object) as object; // a prototype without a constructor
    expect(() => cacheKey([orphan])).toThrow(/a class instance/);
  });

  it('an object with symbol keys, which its key would leave out', () => {
    expect(() => cacheKey([{ [Symbol('id')]: 1 }])).toThrow(
      new TypeError('cacheKey: args hold an object with symbol keys, which its key would leave out'),
    );
  });
});

describe('cacheKey, deeper: receivers', () => {
  it('keys a class used as a receiver (a static method) by identity', () => {
    class Shape {}
    expect(cacheKey([], Shape)).toBe(cacheKey([], Shape));
    expect(cacheKey([], Shape)).not.toBe(cacheKey([], class Other {}));
  });

  it('keys a primitive receiver (f.call(5) in strict mode) by its value', () => {
    expect(cacheKey([], 5)).toBe(cacheKey([], 5));
    expect(cacheKey([], 5)).not.toBe(cacheKey([], '5'));
    expect(cacheKey([], null)).not.toBe(cacheKey([]));
  });

  it('does not confuse a receiver\'s key with an argument\'s: f.call(o) is not f(o)', () => {
    const o = { s: 1 };
    expect(cacheKey([], o)).not.toBe(cacheKey([o]));
    expect(cacheKey([], 5)).not.toBe(cacheKey([5]));
  });
});
