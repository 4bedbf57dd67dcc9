/**
 * One string per distinct call: the key every memoizer in this workbook stores
 * results under.
 *
 * The naive keys collide. `String([1, '2'])` and `String(['1', 2])` are both
 * "1,2", and every object is "[object Object]", so f({ id: 1 }) would answer
 * f({ id: 2 }). Here each value is written with its type, strings are quoted,
 * and object keys are sorted, so { a, b } and { b, a } share a key.
 *
 * A method's answer also depends on `this`: `a.area()` and `b.area()` take the
 * same (no) arguments. Python's lru_cache keys a method on `self`; here the
 * receiver (`thisArg`) is part of the key by identity, as `self` is.
 */
export function cacheKey(args: readonly unknown[], thisArg?: unknown): string {
  const key = encode(args, new Set());
  // Stryker disable next-line ConditionalExpression: equivalent, `this(undefined).` in front of every plain call's key keeps the keys apart all the same
  return thisArg === undefined ? key : `${receiverKey(thisArg)}.${key}`;
}

// A receiver is keyed by who it is, not by what it holds (it may hold the
// memoized function itself). A WeakMap numbers it without keeping it alive.
const receivers = new WeakMap<object, number>();
let receiversSeen = 0;

function receiverKey(thisArg: unknown): string {
  if ((typeof thisArg !== 'object' && typeof thisArg !== 'function') || thisArg === null) {
    return `this(${encode(thisArg, new Set())})`; // strict mode lets f.call(5) pass a primitive
  }
  let id = receivers.get(thisArg);
  // Stryker disable next-line UpdateOperator: equivalent, counting down gives unique ids too
  if (id === undefined) receivers.set(thisArg, (id = ++receiversSeen));
  return `this#${id}`;
}

function encode(value: unknown, path: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value); // quoted, so "1" is not 1
    case 'number':
      // Stryker disable next-line UnaryOperator: equivalent, writing 0 as '-0' and -0 as '0' keeps them apart too
      return Object.is(value, -0) ? '-0' : String(value); // 1 / x tells -0 from 0, so must the key
    case 'boolean':
    // Stryker disable next-line ConditionalExpression: equivalent, falling through to the bigint case writes 'truen' and 'undefinedn', still one key each
    case 'undefined':
      return String(value);
    case 'bigint':
      return `${value}n`; // 1n is not 1
    case 'function':
    case 'symbol':
      // Two functions with the same source can close over different state:
      // there is no honest key for them, so say so at the call.
      throw new TypeError(`cacheKey: cannot build a key from a ${typeof value} argument`);
  }
  if (value === null) return 'null';

  const object = value as object;
  if (path.has(object)) throw new TypeError('cacheKey: cannot build a key from a circular argument');
  path.add(object);
  try {
    return encodeObject(object, path);
  } finally {
    path.delete(object); // the same object twice side by side is fine; only a cycle is not
  }
}

function encodeObject(value: object, path: Set<object>): string {
  // Array.from, not map: map skips holes, and [,] would be written like [].
  if (Array.isArray(value)) return `[${Array.from(value, (v) => encode(v, path)).join(',')}]`;
  if (value instanceof Date) return `Date(${value.getTime()})`;
  if (value instanceof Map) {
    const entries = [...value].map(([k, v]) => `${encode(k, path)}=>${encode(v, path)}`);
    // Stryker disable next-line StringLiteral: equivalent, each entry is delimited by its own '=>' and quotes; the comma is for the reader
    return `Map{${entries.sort().join(',')}}`;
  }
  if (value instanceof Set) return `Set{${[...value].map((v) => encode(v, path)).sort().join(',')}}`;

  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    // A class instance may keep what makes it "equal" in private fields we cannot see.
    throw new TypeError(
      `cacheKey: cannot build a key from a ${proto.constructor?.name ?? 'class'} instance; pass plain data (objects, arrays, primitives)`,
    );
  }
  if (Object.getOwnPropertySymbols(value).length > 0) {
    throw new TypeError('cacheKey: cannot build a key from an object with symbol keys (they would be left out of it)');
  }
  const record = value as Record<string, unknown>;
  const fields = Object.keys(record)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${encode(record[k], path)}`);
  // Stryker disable next-line StringLiteral: equivalent, each field starts with its quoted name; the comma is for the reader
  return `{${fields.join(',')}}`;
}
