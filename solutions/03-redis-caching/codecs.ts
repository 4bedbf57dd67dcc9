/**
 * Serialization (source 3.3): what turns a value into bytes for Redis and back.
 *
 * The source uses pickle, and `pickle.loads` on bytes read from Redis runs
 * whatever the bytes tell it to: anyone who can write one key can run code in
 * the app. A codec here only ever builds data (objects, arrays, Date, BigInt,
 * Map, Set), and bytes it did not write raise a CodecError, never a value.
 *
 * - jsonCodec: superjson, JSON text plus a little type metadata. Readable in
 *   redis-cli. (A hand-written reviver cannot do it: returning undefined from
 *   a JSON.parse reviver deletes the property, so nested undefined is lost.)
 * - msgpackCodec: msgpackr, binary MessagePack; about a third of the size of
 *   JSON for a list of records, and a format that other languages read.
 */
import { Packr } from 'msgpackr';
import superjson from 'superjson';
import { CodecError, type Codec } from '../../provided/codec.js';

// Given (provided/codec.ts): the interface every codec implements, and the error for bytes it did not write.
export { CodecError, type Codec };

export const jsonCodec: Codec = {
  name: 'json',
  encode(value) {
    assertData(value, false); // no Buffers: superjson writes one it cannot read back
    return Buffer.from(superjson.stringify(value));
  },
  decode(bytes) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw new CodecError('json', 'the bytes are not JSON', { cause: error });
    }
    // superjson.parse('5') quietly returns undefined: check the envelope first.
    if (!isSuperjsonEnvelope(parsed)) throw new CodecError('json', 'JSON, but not written by this codec');
    try {
      return superjson.deserialize(parsed);
    } catch (error) {
      throw new CodecError('json', 'the type metadata is broken', { cause: error });
    }
  },
};

// structuredClone: Map, Set, Date, BigInt, undefined and cycles come back as they went in.
const packr = new Packr({ structuredClone: true });

export const msgpackCodec: Codec = {
  name: 'msgpack',
  encode(value) {
    assertData(value, true);
    return packr.pack(value);
  },
  decode(bytes) {
    try {
      return packr.unpack(bytes);
    } catch (error) {
      throw new CodecError('msgpack', 'the bytes are not MessagePack', { cause: error });
    }
  },
};

type SuperjsonEnvelope = Parameters<typeof superjson.deserialize>[0];

/** An object whose keys are `json` and maybe `meta`, nothing else. (Object(): a number or null has no keys.) */
function isSuperjsonEnvelope(parsed: unknown): parsed is SuperjsonEnvelope {
  const keys = Object.keys(Object(parsed));
  return keys.length > 0 && keys.every((k) => k === 'json' || k === 'meta');
}

/**
 * Both codecs store data: plain objects and arrays, primitives (BigInt,
 * undefined, NaN included), Date, Map, Set and bytes (a Uint8Array; a Buffer
 * in msgpack only). Anything else would come back as something else, without
 * a word: a function or a symbol is dropped (also as a Map key), a class
 * instance comes back a plain object, a Buffer in superjson does not decode
 * at all, an invalid Date comes back null.
 */
function assertData(value: unknown, buffers: boolean, path = 'value', seen = new WeakSet<object>()): void {
  if (typeof value === 'function' || typeof value === 'symbol') {
    throw new TypeError(`${path} is a ${typeof value}: a cache stores data, not code`);
  }
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Uint8Array) {
    if (Buffer.isBuffer(value) && !buffers) throw new TypeError(`${path} is a Buffer, which this codec cannot read back: store new Uint8Array(buffer)`);
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
  if (value instanceof Map) {
    for (const [key, child] of value) {
      assertData(key, buffers, `${path} key ${String(key)}`, seen);
      assertData(child, buffers, `${path}.${String(key)}`, seen);
    }
    return;
  }
  const children = value instanceof Set ? [...value].map((child, i) => [String(i), child] as const) : Object.entries(value);
  for (const [key, child] of children) assertData(child, buffers, `${path}.${key}`, seen);
}
