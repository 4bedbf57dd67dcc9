/**
 * Exercise 3 of 5: codecs, what turns a value into bytes and back (source 3.3).
 *
 * The source uses pickle, which the README explains you must never do with
 * bytes from Redis. jsonCodec below is plain JSON: run the specs to see what
 * it does to a Date, a Map, a BigInt and to bytes it did not write. Rebuild it
 * on superjson (`import superjson from 'superjson'`) and write msgpackCodec on
 * msgpackr (`import { Packr } from 'msgpackr'`, with structuredClone: true).
 */
import { todo } from '../../provided/todo.js';

// Given: the interface every codec implements, and the error for bytes a codec
// did not write (provided/codec.ts); and assertStorable (provided/storable.ts),
// the check that refuses what would not come back as it went in.
import type { Codec } from '../../provided/codec.js';
export { CodecError, type Codec } from '../../provided/codec.js';

export const jsonCodec: Codec = {
  name: 'json',
  // TODO: superjson; refuse what would not come back (assertStorable); wrap
  // every decoding failure in a CodecError.
  encode: (value) => Buffer.from(JSON.stringify(value)),
  decode: (bytes) => JSON.parse(bytes.toString('utf8')),
};

export const msgpackCodec: Codec = {
  name: 'msgpack',
  encode: () => todo('03-redis-caching', 'msgpackCodec.encode with msgpackr'),
  decode: () => todo('03-redis-caching', 'msgpackCodec.decode with msgpackr'),
};
