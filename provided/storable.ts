// What lesson 03's codecs store, given so that the exercise is the codecs
// themselves: a check that refuses, at write time, every value that would
// come back as something else, and the same check on what decode built.
import { CodecError } from './codec.js';

export interface StorableOptions {
  /** Whether a Buffer comes back as one (msgpackr: yes; superjson writes one it cannot read back). */
  buffers: boolean;
  /** Whether -0 comes back as -0 (superjson: yes; MessagePack writes it as the integer 0). */
  negativeZero: boolean;
}

/**
 * Data a codec keeps: plain objects and arrays, primitives (BigInt, undefined,
 * NaN included), Date, Map, Set and bytes (a Uint8Array). Anything else is a
 * TypeError naming where it is (`value.user.save`): a function or a symbol
 * would be dropped (also as a Map key), a class instance would come back a
 * plain object, an invalid Date null, and an own `__proto__` key renamed or
 * refused by the library with a plain Error.
 */
export function assertStorable(value: unknown, options: StorableOptions, path = 'value', seen = new WeakSet<object>()): void {
  if (typeof value === 'function' || typeof value === 'symbol') {
    throw new TypeError(`${path} is a ${typeof value}: a cache stores data, not code`);
  }
  if (Object.is(value, -0) && !options.negativeZero) throw new TypeError(`${path} is -0, which this codec reads back as 0`);
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Uint8Array) {
    if (Buffer.isBuffer(value) && !options.buffers) throw new TypeError(`${path} is a Buffer, which this codec cannot read back: store new Uint8Array(buffer)`);
    return;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError(`${path} is an invalid Date, which would come back as null`);
    return;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (!(value instanceof Map || value instanceof Set || Array.isArray(value) || proto === Object.prototype || proto === null)) {
    throw new TypeError(`${path} is a ${value.constructor?.name ?? 'class instance'}, which would come back as a plain object: store its data`);
  }
  if (Object.getOwnPropertySymbols(value).length > 0) throw new TypeError(`${path} has symbol keys, which would be dropped`);
  if (Object.hasOwn(value, '__proto__')) throw new TypeError(`${path} has an own "__proto__" key, which would not come back as a key: rename it`);
  if (value instanceof Map) {
    for (const [key, child] of value) {
      assertStorable(key, options, `${path} key ${String(key)}`, seen);
      assertStorable(child, options, `${path}.${String(key)}`, seen);
    }
    return;
  }
  const children = value instanceof Set ? [...value].map((child, i) => [String(i), child] as const) : Object.entries(value);
  for (const [key, child] of children) assertStorable(child, options, `${path}.${key}`, seen);
}

/**
 * A decoded value is the codec's only if encode would have taken it: bytes a
 * codec never writes (MessagePack's reserved 0xC1, a timestamp of the wrong
 * length, superjson metadata for a RegExp or an Error) decode to something
 * else, and are a CodecError like any other foreign bytes.
 */
export function checkDecoded(codec: string, value: unknown, options: StorableOptions): unknown {
  try {
    assertStorable(value, options);
  } catch (error) {
    throw new CodecError(codec, 'the bytes decode to something this codec never writes', { cause: error });
  }
  return value;
}
