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
import { assertStorable, checkDecoded, type StorableOptions } from '../../provided/storable.js';

// Given (provided/codec.ts): the interface every codec implements, and the error for bytes it did not write.
export { CodecError, type Codec };

// What superjson keeps: -0, but not a Buffer (it writes one it cannot read back).
const superjsonKeeps: StorableOptions = { buffers: false, negativeZero: true };

export const jsonCodec: Codec = {
  name: 'json',
  encode(value) {
    assertStorable(value, superjsonKeeps);
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
    let value: unknown;
    try {
      value = superjson.deserialize(parsed, { inPlace: true }); // parsed is ours: no need for superjson's deep copy
    } catch (error) {
      throw new CodecError('json', 'the type metadata is broken', { cause: error });
    }
    return checkDecoded('json', value, superjsonKeeps);
  },
};

// structuredClone: Map, Set, Date, BigInt, undefined and cycles come back as they went in.
const packr = new Packr({ structuredClone: true });
// What MessagePack keeps: a Buffer, but not -0 (msgpackr writes it as the integer 0).
const msgpackKeeps: StorableOptions = { buffers: true, negativeZero: false };

export const msgpackCodec: Codec = {
  name: 'msgpack',
  encode(value) {
    assertStorable(value, msgpackKeeps);
    return packr.pack(value);
  },
  decode(bytes) {
    let value: unknown;
    try {
      value = packr.unpack(bytes);
    } catch (error) {
      throw new CodecError('msgpack', 'the bytes are not MessagePack', { cause: error });
    }
    return checkDecoded('msgpack', value, msgpackKeeps);
  },
};

type SuperjsonEnvelope = Parameters<typeof superjson.deserialize>[0];

/** An object whose keys are `json` and maybe `meta`, nothing else. (Object(): a number or null has no keys.) */
function isSuperjsonEnvelope(parsed: unknown): parsed is SuperjsonEnvelope {
  const keys = Object.keys(Object(parsed));
  return keys.length > 0 && keys.every((k) => k === 'json' || k === 'meta');
}
