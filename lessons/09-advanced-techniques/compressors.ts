/**
 * Exercise 1 of 5: three compression algorithms, each bounded and, for large
 * values, off the event loop (source 9.2).
 *
 * Below is the source's compression: gzip whatever the algorithm, and
 * decompress whatever comes, to whatever size it expands to, on the event
 * loop. Make each algorithm do its own work, stop decompressing at maxBytes
 * (a RangeError), and use libuv's thread pool when `async` says so.
 */
import { gunzipSync, gzipSync } from 'node:zlib';

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

export async function compress(algorithm: Algorithm, plain: Buffer, options: CompressOptions): Promise<Buffer> {
  // TODO: the source's gzip.compress, whatever the algorithm and the options.
  void algorithm, options;
  return gzipSync(plain);
}

export async function decompress(algorithm: Algorithm, packed: Buffer, options: DecompressOptions): Promise<Buffer> {
  // TODO: the source's gzip.decompress: to whatever size, on the event loop.
  void algorithm, options;
  return gunzipSync(packed);
}
