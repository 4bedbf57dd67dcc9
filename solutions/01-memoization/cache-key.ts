/**
 * One string per distinct call: the key every memoizer in this workbook stores
 * results under.
 *
 * The naive keys collide. `String([1, '2'])` and `String(['1', 2])` are both
 * "1,2", and every object is "[object Object]", so f({ id: 1 }) would answer
 * f({ id: 2 }). Here each value is written with its type, strings are quoted,
 * items are kept apart by a separator, and object keys are sorted, so { a, b }
 * and { b, a } share a key.
 *
 * A method's answer also depends on `this`: `a.area()` and `b.area()` take the
 * same (no) arguments. The receiver (`thisArg`) is part of the key, by identity.
 */
export function cacheKey(args: readonly unknown[], thisArg?: unknown): string {
  const key = encode(args, []);
  return thisArg === undefined ? key : `${receiverKey(thisArg)}.${key}`;
}

// A receiver is keyed by who it is, not by what it holds (it may hold the
// memoized function itself). A WeakMap numbers it without keeping it alive.
const receivers = new WeakMap<object, number>();
let receiversSeen = 0;

function receiverKey(thisArg: unknown): string {
  if ((typeof thisArg !== 'object' && typeof thisArg !== 'function') || thisArg === null) {
    return `this(${encode(thisArg, [])})`; // strict mode lets f.call(5) pass a primitive
  }
  let id = receivers.get(thisArg);
  if (id === undefined) receivers.set(thisArg, (id = ++receiversSeen));
  return `this#${id}`;
}

/** `path` holds the objects from the argument down to `value`: meeting one of them again is a cycle. */
function encode(value: unknown, path: readonly object[]): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value); // quoted, so "1" is not 1
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value); // 1 / x tells -0 from 0, so must the key
    case 'bigint':
      return `${value}n`; // 1n is not 1
    case 'function':
    case 'symbol':
      // Two functions with the same source can close over different state:
      // there is no honest key for them, so say so at the call.
      throw new TypeError(`cacheKey: args hold a ${typeof value}, which has no key; pass plain data`);
    case 'object':
      return value === null ? 'null' : encodeObject(value, path);
    default:
      return String(value); // true, false, undefined
  }
}

function encodeObject(value: object, path: readonly object[]): string {
  if (path.includes(value)) {
    throw new TypeError('cacheKey: args hold a circular structure, which has no key');
  }
  const inner = [...path, value]; // the same object twice side by side, f(o, o), is fine: only a cycle is not
  // Array.from, not map: map skips holes, and [,] would be written like [].
  if (Array.isArray(value)) return `[${Array.from(value, (v) => encode(v, inner)).join(',')}]`;
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return encodeRecord(value as Record<string, unknown>, inner);
  if (value instanceof Date) return `Date(${value.getTime()})`;
  if (value instanceof Map) {
    const entries = [...value].map(([k, v]) => `${encode(k, inner)}=>${encode(v, inner)}`);
    return `Map{${entries.sort().join(',')}}`; // the comma keeps {0=>1, 23=>4} apart from {0=>12, 3=>4}
  }
  if (value instanceof Set) return `Set{${[...value].map((v) => encode(v, inner)).sort().join(',')}}`;
  // A class instance may keep what makes it "equal" in private fields we cannot see.
  throw new TypeError(
    `cacheKey: args hold a ${proto.constructor?.name ?? 'class'} instance, which has no key; pass plain data (objects, arrays, primitives)`,
  );
}

function encodeRecord(record: Record<string, unknown>, path: readonly object[]): string {
  if (Object.getOwnPropertySymbols(record).length > 0) {
    throw new TypeError('cacheKey: args hold an object with symbol keys, which its key would leave out');
  }
  const fields = Object.keys(record).sort().map((k) => `${JSON.stringify(k)}:${encode(record[k], path)}`);
  return `{${fields.join(',')}}`;
}
