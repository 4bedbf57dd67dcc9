/**
 * Exercise 2 of 5: compression that pays for itself and rolls out without
 * breaking a read (source 9.2).
 *
 * Below is the source's code in TypeScript: gzip every value, gunzip every
 * read. Run the specs and watch what it does to a small value, and to a value
 * written before compression was turned on. Then rebuild it as the README
 * describes: a header byte, a threshold, and a read that turns whatever it
 * cannot read into a miss. Exercise 1's compress and decompress (bounded, on
 * the thread pool for large values) are given in provided/compressors.ts.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Redis } from 'ioredis';
import { CodecError, jsonCodec, type Codec } from '../../provided/codecs.js';
import { algorithms, compress, decompress, type Algorithm } from '../../provided/compressors.js';
import { assertKey, assertTtl, isWrongType, type CacheRead } from '../../provided/json-cache.js';

export type { Algorithm };

/** The first byte of every stored value: how the bytes after it were written. */
export const HEADER = Object.freeze({ raw: 0x00, gzip: 0x01, brotli: 0x02, snappy: 0x03 } as const);

export interface CompressionOptions {
  /** What a value becomes before it is compressed; lesson 03's jsonCodec by default. */
  codec?: Codec;
  /** Used for values worth compressing; 'brotli' by default (npm run bench compression). Every algorithm is read, whichever writes. */
  algorithm?: Algorithm;
  /** Values shorter than this (in bytes, encoded) are stored raw. 1024 by default. */
  threshold?: number;
  /** Decoding never produces more bytes than this: a bomb is a miss. 16 MiB by default. */
  maxDecodedBytes?: number;
  /** Values of this many bytes or more are (de)compressed on the thread pool. 64 KiB by default. */
  asyncAbove?: number;
}

/** A codec whose work may leave the event loop, hence the promises. */
export interface CompressedCodec {
  readonly name: string;
  encode(value: unknown): Promise<Buffer>;
  /** Throws a CodecError for bytes it cannot read: unknown header, broken body, over maxDecodedBytes. */
  decode(bytes: Buffer): Promise<unknown>;
}

// Given, for you to use.
void CodecError, algorithms, compress, decompress, assertKey, assertTtl, isWrongType;

export function compressedCodec(options: CompressionOptions = {}): CompressedCodec {
  const { codec = jsonCodec } = options;
  // TODO: check the options; a header byte; the threshold; compress/decompress with their bounds.
  return {
    name: `gzip+${codec.name}`,
    // The source: gzip.compress(json.dumps(value)), whatever the size.
    encode: async (value) => gzipSync(codec.encode(value)),
    // The source: gzip.decompress(cached), whatever is in Redis.
    decode: async (bytes) => codec.decode(gunzipSync(bytes)),
  };
}

export async function setCompressed(redis: Redis, key: string, value: unknown, ttlSeconds: number, codec: CompressedCodec): Promise<void> {
  // TODO: check the key and the TTL first (provided/json-cache.ts has the checks).
  await redis.set(key, await codec.encode(value), 'EX', ttlSeconds);
}

export async function getCompressed<T>(redis: Redis, key: string, codec: CompressedCodec): Promise<CacheRead<T>> {
  // TODO: what is not ours under the key is a miss, and the key goes.
  const cached = await redis.getBuffer(key);
  if (cached) return { hit: true, value: (await codec.decode(cached)) as T };
  return { hit: false };
}
