/**
 * Three compression algorithms (source 9.2), each bounded and, for large
 * values, off the event loop.
 *
 * The source calls gzip.decompress on whatever Redis holds: 64 KiB of gzip
 * expand to 64 MiB, 106 bytes of brotli to 64 MiB, and anyone who can write
 * one key can make every reader allocate that. And gzip.compress on a large
 * value holds the event loop for milliseconds, during which the process
 * answers nobody.
 *
 * - decompress never produces more than `maxBytes`: zlib stops by itself
 *   (maxOutputLength), and a snappy block opens with the length it expands to,
 *   which is checked before snappy is asked to allocate it. Either way the
 *   error is a RangeError with code ERR_BUFFER_TOO_LARGE.
 * - `async: true` sends the work to libuv's thread pool (zlib's callback
 *   functions, snappy's promises); `async: false` does it right away, which is
 *   cheaper for a small value than the trip to the pool.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import snappy from 'snappy';

export type Algorithm = 'gzip' | 'brotli' | 'snappy';

export const algorithms: readonly Algorithm[] = ['gzip', 'brotli', 'snappy'];

export interface CompressOptions {
  /** On libuv's thread pool (true) or right away, on the event loop (false). */
  async: boolean;
}

export interface DecompressOptions extends CompressOptions {
  /** The most bytes it may produce: a positive whole number. */
  maxBytes: number;
}

// Quality 5: smaller than gzip 6 on JSON, about its CPU, faster to decode (npm run bench compression).
const brotli = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } };
const gzipAsync = promisify(zlib.gzip);
const gunzipAsync = promisify(zlib.gunzip);
const brotliAsync = promisify(zlib.brotliCompress);
const unbrotliAsync = promisify(zlib.brotliDecompress);

export async function compress(algorithm: Algorithm, plain: Buffer, { async }: CompressOptions): Promise<Buffer> {
  switch (checked(algorithm)) {
    case 'gzip':
      return async ? gzipAsync(plain) : zlib.gzipSync(plain);
    case 'brotli':
      return async ? brotliAsync(plain, brotli) : zlib.brotliCompressSync(plain, brotli);
    case 'snappy':
      return async ? snappy.compress(plain) : snappy.compressSync(plain);
  }
}

export async function decompress(algorithm: Algorithm, packed: Buffer, { maxBytes, async }: DecompressOptions): Promise<Buffer> {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new RangeError(`decompress: maxBytes is a whole number ≥ 1, got ${String(maxBytes)}`);
  const bound = { maxOutputLength: maxBytes };
  switch (checked(algorithm)) {
    case 'gzip':
      return async ? gunzipAsync(packed, bound) : zlib.gunzipSync(packed, bound);
    case 'brotli':
      return async ? unbrotliAsync(packed, bound) : zlib.brotliDecompressSync(packed, bound);
    case 'snappy':
      checkSnappyLength(packed, maxBytes);
      return (async ? await snappy.uncompress(packed) : snappy.uncompressSync(packed)) as Buffer;
  }
}

function checked(algorithm: Algorithm): Algorithm {
  if (!algorithms.includes(algorithm)) throw new RangeError(`algorithm must be one of ${algorithms.join(', ')}, got ${String(algorithm)}`);
  return algorithm;
}

/** The varint that opens a snappy block (at most 5 bytes) is the length it expands to: refuse before allocating it. */
function checkSnappyLength(packed: Buffer, maxBytes: number): void {
  let length = 0;
  for (let i = 0; i < 5 && i < packed.length; i++) {
    length += (packed[i]! & 0x7f) * 2 ** (7 * i);
    if ((packed[i]! & 0x80) === 0) {
      if (length <= maxBytes) return;
      throw Object.assign(new RangeError(`snappy value says it expands to ${length} bytes, over ${maxBytes}`), { code: 'ERR_BUFFER_TOO_LARGE' });
    }
  }
  throw new Error('snappy value without a length');
}
