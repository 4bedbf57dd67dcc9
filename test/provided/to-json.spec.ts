import { describe, expect, it } from 'vitest';
import { toJson } from '../../provided/to-json.js';

describe('toJson: JSON text, or a TypeError for what would not come back as it went in', () => {
  it('writes plain data as JSON.stringify does: objects, arrays, strings, finite numbers, booleans, null', () => {
    const value = { a: [1, -2.5, 'x', true, null], b: { c: {} }, bare: Object.assign(Object.create(null) as object, { d: 1 }) };
    expect(toJson(value, 'w')).toBe(JSON.stringify(value));
    expect(toJson(0, 'w')).toBe('0');
    expect(toJson('', 'w')).toBe('""');
  });

  it.each([
    ['NaN', { score: Number.NaN }, '"score" is NaN'],
    ['-0 (JSON.stringify(-0) is "0")', { balance: -0 }, '"balance" is -0'],
    ['-0 on its own', -0, 'the value is -0'],
    ['Infinity', [Infinity], '"0" is Infinity'],
    ['a function', { save() {} }, '"save" is a function'],
    ['a symbol', { s: Symbol('s') }, '"s" is a symbol'],
    ['undefined in an object', { nickname: undefined }, '"nickname" is undefined'],
    ['undefined in an array', [1, undefined], '"1" is undefined'],
    ['a Map', new Map(), 'the value is a Map'],
    ['a Set', { roles: new Set() }, '"roles" is a Set'],
    ['a Date', { at: new Date(0) }, '"at" is a Date'],
    ['symbol keys', { [Symbol('k')]: 1 }, 'the value is an object with symbol keys'],
  ])('refuses %s, naming where it is and what it is', (_, value, what) => {
    expect(() => toJson(value, 'setJson(user:1)')).toThrow(new RegExp(`^setJson\\(user:1\\): cannot store this value as JSON: ${what.replace(/[()]/g, '\\$&')}, which JSON cannot hold`));
    expect(() => toJson(value, 'w')).toThrow(TypeError);
  });

  it('names a class by its constructor, and one without a constructor as a class instance', () => {
    class Money {}
    expect(() => toJson({ price: new Money() }, 'w')).toThrow('"price" is a Money');
    expect(() => toJson({ odd: Object.create(Object.create(null) as object) }, 'w')).toThrow('"odd" is a class instance');
  });

  it('refuses undefined on its own (it is not JSON) and a circular object, keeping the cause', () => {
    expect(() => toJson(undefined, 'setJson(k)')).toThrow('setJson(k): cannot store this value as JSON: the value is undefined, which JSON cannot hold (cache null');
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    let caught: Error | undefined;
    try {
      toJson(loop, 'w');
    } catch (error) {
      caught = error as Error;
    }
    expect(caught).toBeInstanceOf(TypeError);
    expect(caught?.message).toMatch(/circular/i);
    expect(caught?.cause).toBeInstanceOf(TypeError);
  });
});
