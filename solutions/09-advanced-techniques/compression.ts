/**
 * Compression (source 9.2) that pays for itself, rolls out without breaking a
 * read, and cannot be turned into a bomb.
 *
 * The source gzips every value and gunzips every read. A small value grows
 * (gzip adds 18 bytes of header and trailer); a value written before
 * compression was turned on makes gunzip throw on every read; a bomb takes
 * the process down; a large value holds the event loop.
 *
 * Here every stored value starts with one header byte that says how the rest
 * was written, so raw, gzip, brotli and snappy values live side by side:
 * - values under `threshold` bytes, and values compression does not shrink,
 *   are stored raw;
 * - decompression stops at `maxDecodedBytes`, and values of `asyncAbove`
 *   bytes or more go to the thread pool (exercise 1's compress/decompress);
 * - an unknown header, a broken body or a bomb is a CodecError, which the read
 *   turns into a miss that removes the key, as it does a key of another type.
 */
import { constants as bufferConstants } from 'node:buffer';
import type { Redis } from 'ioredis';
import { CodecError, jsonCodec, type Codec } from '../../provided/codecs.js';
import { assertKey, assertTtl, isWrongType, type CacheRead } from '../../provided/json-cache.js';
import { algorithms, compress, decompress, type Algorithm } from './compressors.js';

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

const writtenWith = new Map(Object.entries(HEADER).map(([name, byte]) => [byte as number, name as Algorithm | 'raw']));

export function compressedCodec(options: CompressionOptions = {}): CompressedCodec {
  const { codec = jsonCodec, algorithm = 'brotli', threshold = 1024, maxDecodedBytes = 16 * 1024 * 1024, asyncAbove = 64 * 1024 } = options;
  if (!algorithms.includes(algorithm)) throw new RangeError(`compressedCodec: algorithm must be one of ${algorithms.join(', ')}, got ${String(algorithm)}`);
  for (const [option, value, least] of [['threshold', threshold, 0], ['maxDecodedBytes', maxDecodedBytes, 1], ['asyncAbove', asyncAbove, 0]] as const) {
    if (!Number.isInteger(value) || value < least || value > bufferConstants.MAX_LENGTH) throw new RangeError(`compressedCodec: ${option} must be a whole number of bytes >= ${least}, got ${String(value)}`);
  }
  const name = `${algorithm}+${codec.name}`;
  const withHeader = (header: number, body: Buffer) => Buffer.concat([Buffer.of(header), body]);

  return {
    name,
    async encode(value) {
      const plain = codec.encode(value);
      // Refused here, at the write: every reader would refuse it, and reload it, forever.
      if (plain.length > maxDecodedBytes) throw new RangeError(`${name}: the value is ${plain.length} bytes, over maxDecodedBytes (${maxDecodedBytes}); no reader would accept it`);
      if (plain.length < threshold) return withHeader(HEADER.raw, plain);
      const packed = await compress(algorithm, plain, { async: plain.length >= asyncAbove });
      // Compression that does not pay is not stored: random ids, images, already-compressed bytes.
      return packed.length < plain.length ? withHeader(HEADER[algorithm], packed) : withHeader(HEADER.raw, plain);
    },

    async decode(bytes) {
      const stored = writtenWith.get(bytes[0]!);
      if (stored === undefined) throw new CodecError(name, bytes.length === 0 ? 'an empty value has no header byte' : `unknown header byte 0x${bytes[0]!.toString(16).padStart(2, '0')}: not written by a compressedCodec`);
      const body = bytes.subarray(1);
      if (stored === 'raw') return codec.decode(body);
      let plain: Buffer;
      try {
        plain = await decompress(stored, body, { maxBytes: maxDecodedBytes, async: body.length >= asyncAbove });
      } catch (error) {
        const tooBig = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
        throw new CodecError(name, tooBig ? `${stored} value expands past maxDecodedBytes (${maxDecodedBytes})` : `broken ${stored} data`, { cause: error });
      }
      return codec.decode(plain);
    },
  };
}

export async function setCompressed(redis: Redis, key: string, value: unknown, ttlSeconds: number, codec: CompressedCodec): Promise<void> {
  assertKey(key, 'setCompressed');
  assertTtl(ttlSeconds, 'setCompressed');
  await redis.set(key, await codec.encode(value), 'EX', ttlSeconds);
}

/** A miss for what is not ours under the key (bytes the codec cannot read, a key of another type), and the key goes: the next write heals it. */
export async function getCompressed<T>(redis: Redis, key: string, codec: CompressedCodec): Promise<CacheRead<T>> {
  assertKey(key, 'getCompressed');
  try {
    const bytes = await redis.getBuffer(key);
    return bytes === null ? { hit: false } : { hit: true, value: (await codec.decode(bytes)) as T };
  } catch (error) {
    if (!(error instanceof CodecError) && !isWrongType(error)) throw error; // Redis down, or a bug: not a miss
    await redis.unlink(key);
    return { hit: false };
  }
}
