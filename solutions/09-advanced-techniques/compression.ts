/**
 * Compression (source 9.2) that pays for itself and cannot be turned into a bomb.
 *
 * The source gzips every value and gunzips every read. Four things go wrong:
 * a small value grows (gzip adds 18 bytes of header and trailer); a value
 * written before compression was turned on makes gunzip throw on every read;
 * 100 KiB in one key can expand to 100 MiB on read and take the process down;
 * and gzipping a large value holds the event loop for milliseconds.
 *
 * Here every stored value starts with one header byte that says how the rest
 * was written, so raw, gzip, brotli and snappy values live side by side:
 * - values under `threshold` bytes, and values compression does not shrink,
 *   are stored raw;
 * - decompression stops at `maxDecodedBytes` (zlib's maxOutputLength);
 * - an unknown header, a broken body or a bomb is a CodecError, which the read
 *   turns into a miss (and removes the key);
 * - values of `asyncAbove` bytes or more go through the thread pool.
 */
import { constants as bufferConstants } from 'node:buffer';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Redis } from 'ioredis';
import snappy from 'snappy';
import { CodecError, jsonCodec, type Codec } from '../../provided/codecs.js';
import { assertKey, assertTtl, type CacheRead } from '../../provided/json-cache.js';

export type Algorithm = 'gzip' | 'brotli' | 'snappy';

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

interface Compressor {
  compressSync(plain: Buffer): Buffer;
  compress(plain: Buffer): Promise<Buffer>;
  decompressSync(packed: Buffer, max: number): Buffer;
  decompress(packed: Buffer, max: number): Promise<Buffer>;
}

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);
const brotliCompress = promisify(zlib.brotliCompress);
const brotliDecompress = promisify(zlib.brotliDecompress);
// Quality 5: smaller than gzip 6 on JSON, about its CPU, faster to decode; 9 and up cost
// several times more for a few percent (npm run bench compression).
const brotliParams = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } };

const compressors: Record<Algorithm, Compressor> = {
  gzip: {
    compressSync: (plain) => zlib.gzipSync(plain),
    compress: (plain) => gzip(plain),
    decompressSync: (packed, max) => zlib.gunzipSync(packed, { maxOutputLength: max }),
    decompress: (packed, max) => gunzip(packed, { maxOutputLength: max }),
  },
  brotli: {
    compressSync: (plain) => zlib.brotliCompressSync(plain, brotliParams),
    compress: (plain) => brotliCompress(plain, brotliParams),
    decompressSync: (packed, max) => zlib.brotliDecompressSync(packed, { maxOutputLength: max }),
    decompress: (packed, max) => brotliDecompress(packed, { maxOutputLength: max }),
  },
  // snappy has no output limit, but its format starts with the length it expands to.
  snappy: {
    compressSync: (plain) => snappy.compressSync(plain),
    compress: (plain) => snappy.compress(plain),
    decompressSync: (packed, max) => (checkSnappyLength(packed, max), snappy.uncompressSync(packed) as Buffer),
    decompress: async (packed, max) => (checkSnappyLength(packed, max), (await snappy.uncompress(packed)) as Buffer),
  },
};

const algorithmOf = new Map(Object.entries(HEADER).map(([name, byte]) => [byte as number, name]));

export function compressedCodec(options: CompressionOptions = {}): CompressedCodec {
  const {
    codec = jsonCodec,
    algorithm = 'brotli',
    threshold = 1024,
    maxDecodedBytes = 16 * 1024 * 1024,
    asyncAbove = 64 * 1024,
  } = options;
  if (!Object.hasOwn(compressors, algorithm)) {
    throw new RangeError(`compressedCodec: algorithm must be one of ${Object.keys(compressors).join(', ')}, got ${String(algorithm)}`);
  }
  assertByteCount(threshold, 'threshold', 0);
  assertByteCount(maxDecodedBytes, 'maxDecodedBytes', 1);
  assertByteCount(asyncAbove, 'asyncAbove', 0);
  const name = `${algorithm}+${codec.name}`;

  return {
    name,
    async encode(value) {
      const plain = codec.encode(value);
      // Refused here, at the write: every reader would refuse it, and reload it, forever.
      if (plain.length > maxDecodedBytes) {
        throw new RangeError(`${name}: the value is ${plain.length} bytes, over maxDecodedBytes (${maxDecodedBytes}); no reader would accept it`);
      }
      if (plain.length < threshold) return withHeader(HEADER.raw, plain);
      const compressor = compressors[algorithm];
      const packed = plain.length >= asyncAbove ? await compressor.compress(plain) : compressor.compressSync(plain);
      // Compression that does not pay is not stored: random ids, images, already-compressed bytes.
      return packed.length < plain.length ? withHeader(HEADER[algorithm], packed) : withHeader(HEADER.raw, plain);
    },

    async decode(bytes) {
      if (bytes.length === 0) throw new CodecError(name, 'an empty value has no header byte');
      const body = bytes.subarray(1);
      const stored = algorithmOf.get(bytes[0]!) as Algorithm | 'raw' | undefined;
      if (stored === undefined) {
        throw new CodecError(name, `unknown header byte 0x${bytes[0]!.toString(16).padStart(2, '0')}: not written by a compressedCodec (an older release, another service)`);
      }
      if (stored === 'raw') return codec.decode(body);
      const compressor = compressors[stored];
      let plain: Buffer;
      try {
        plain = body.length >= asyncAbove
          ? await compressor.decompress(body, maxDecodedBytes)
          : compressor.decompressSync(body, maxDecodedBytes);
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

/** A miss for bytes the codec cannot read, and the key goes: the next write replaces it with a good one. */
export async function getCompressed<T>(redis: Redis, key: string, codec: CompressedCodec): Promise<CacheRead<T>> {
  assertKey(key, 'getCompressed');
  const bytes = await redis.getBuffer(key);
  if (bytes === null) return { hit: false };
  try {
    return { hit: true, value: (await codec.decode(bytes)) as T };
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
    await redis.unlink(key);
    return { hit: false };
  }
}

function withHeader(header: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.of(header), body]);
}

/** The varint that opens a snappy block is the length it expands to: refuse before allocating it. */
function checkSnappyLength(packed: Buffer, max: number): void {
  let length = 0;
  for (let i = 0; i < 5 && i < packed.length; i++) {
    length += (packed[i]! & 0x7f) * 2 ** (7 * i);
    if ((packed[i]! & 0x80) === 0) {
      if (length <= max) return;
      throw Object.assign(new RangeError(`snappy value says it expands to ${length} bytes`), { code: 'ERR_BUFFER_TOO_LARGE' });
    }
  }
  throw new Error('snappy value without a length');
}

function assertByteCount(value: number, option: string, min: number): void {
  if (!Number.isInteger(value) || value < min || value > bufferConstants.MAX_LENGTH) {
    throw new RangeError(`compressedCodec: ${option} must be a whole number of bytes >= ${min}, got ${String(value)}`);
  }
}
