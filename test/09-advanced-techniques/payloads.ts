/** What the lesson 09 specs compress: realistic users (the bench's), and decompression bombs. */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import snappy from 'snappy';

export { users } from '../../scripts/bench/support/users.js';

/**
 * A stored value, header byte included, per algorithm, that decodes to a
 * superjson string of `bytes` bytes: valid all the way, so only a bound on the
 * output stops it. Header bytes as in the lesson: 1 gzip, 2 brotli, 3 snappy.
 */
export function bombs(bytes: number): { gzip: Buffer; brotli: Buffer; snappy: Buffer } {
  let made = madeBombs.get(bytes);
  if (made === undefined) madeBombs.set(bytes, (made = makeBombs(bytes)));
  return made;
}

/** Made once per size for the whole file: compressing 16 MiB three ways takes a second. */
const madeBombs = new Map<number, { gzip: Buffer; brotli: Buffer; snappy: Buffer }>();

function makeBombs(bytes: number): { gzip: Buffer; brotli: Buffer; snappy: Buffer } {
  const plain = Buffer.alloc(bytes, 'a');
  plain.write('{"json":"');
  plain.write('"}', bytes - 2);
  return {
    gzip: Buffer.concat([Buffer.of(1), gzipSync(plain, { level: 1 })]),
    brotli: Buffer.concat([Buffer.of(2), brotliCompressSync(plain, { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } })]),
    snappy: Buffer.concat([Buffer.of(3), snappy.compressSync(plain)]),
  };
}
