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

export interface Codec {
  /** Shown in errors: 'json', 'msgpack'. */
  readonly name: string;
  /** Throws a TypeError for a value it cannot store faithfully. */
  encode(value: unknown): Buffer;
  /** Throws a CodecError for bytes it did not write. */
  decode(bytes: Buffer): unknown;
}

/** Bytes that are not a value this codec wrote: garbage, another codec's bytes, a truncated write. */
export class CodecError extends Error {
  override name = 'CodecError';
  constructor(
    readonly codec: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${codec} codec: ${message}`, options);
  }
}

export const jsonCodec: Codec = {
  name: 'json',
  // TODO: superjson; refuse functions; wrap every decoding failure in a CodecError.
  encode: (value) => Buffer.from(JSON.stringify(value)),
  decode: (bytes) => JSON.parse(bytes.toString('utf8')),
};

export const msgpackCodec: Codec = {
  name: 'msgpack',
  encode: () => todo('03-redis-caching', 'msgpackCodec.encode with msgpackr'),
  decode: () => todo('03-redis-caching', 'msgpackCodec.decode with msgpackr'),
};
