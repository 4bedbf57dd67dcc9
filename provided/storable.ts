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
export function assertStorable(value: unknown, options: StorableOptions): void {
  walk(value, options, ['value'], new Set());
}

/**
 * Every read of a cached value runs this walk (checkDecoded), so it is kept
 * cheap: the path is a stack of segments, joined only for an error message.
 */
function walk(value: unknown, options: StorableOptions, path: string[], seen: Set<object>): void {
  if (typeof value === 'function' || typeof value === 'symbol') refuse(path, `is a ${typeof value}: a cache stores data, not code`);
  if (Object.is(value, -0) && !options.negativeZero) refuse(path, 'is -0, which this codec reads back as 0');
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Uint8Array) {
    if (Buffer.isBuffer(value) && !options.buffers) refuse(path, 'is a Buffer, which this codec cannot read back: store new Uint8Array(buffer)');
    return;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) refuse(path, 'is an invalid Date, which would come back as null');
    return;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (!(value instanceof Map || value instanceof Set || Array.isArray(value) || proto === Object.prototype || proto === null)) {
    refuse(path, `is a ${value.constructor?.name ?? 'class instance'}, which would come back as a plain object: store its data`);
  }
  if (Object.getOwnPropertySymbols(value).length > 0) refuse(path, 'has symbol keys, which would be dropped');
  if (Object.hasOwn(value, '__proto__')) refuse(path, 'has an own "__proto__" key, which would not come back as a key: rename it');
  if (value instanceof Map) {
    for (const [key, item] of value) {
      walkChild(key, ` key ${String(key)}`, options, path, seen);
      walkChild(item, `.${String(key)}`, options, path, seen);
    }
    return;
  }
  // An array or a plain object by its keys; a Set by the position of each item.
  const items = (value instanceof Set ? [...value] : value) as Record<string, unknown>;
  for (const key of Object.keys(items)) walkChild(items[key], `.${key}`, options, path, seen);
}

function walkChild(item: unknown, segment: string, options: StorableOptions, path: string[], seen: Set<object>): void {
  path.push(segment);
  walk(item, options, path, seen);
  path.pop();
}

function refuse(path: string[], why: string): never {
  throw new TypeError(`${path.join('')} ${why}`);
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
