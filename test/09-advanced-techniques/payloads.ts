/** What the lesson 09 specs compress: realistic users, and decompression bombs. */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import snappy from 'snappy';

export interface User {
  id: number;
  name: string;
  email: string;
  roles: string[];
  createdAt: string;
}

const names = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken'];

/** n users, the same n every time: repetitive the way real JSON is (keys, domains), varied the way ids are. */
export function users(n: number): User[] {
  return Array.from({ length: n }, (_, id) => ({
    id,
    name: `${names[id % names.length]} ${(id * 7919) % 10_007}`,
    email: `user${(id * 104_729) % 1_000_003}@example.com`,
    roles: id % 5 === 0 ? ['admin', 'editor'] : ['reader'],
    createdAt: new Date(Date.UTC(2024, 0, 1) + id * 3_600_000).toISOString(),
  }));
}

/**
 * A stored value, header byte included, per algorithm, that decodes to a
 * superjson string of `bytes` bytes: valid all the way, so only a bound on the
 * output stops it. Header bytes as in the lesson: 1 gzip, 2 brotli, 3 snappy.
 */
export function bombs(bytes: number): { gzip: Buffer; brotli: Buffer; snappy: Buffer } {
  const plain = Buffer.alloc(bytes, 'a');
  plain.write('{"json":"');
  plain.write('"}', bytes - 2);
  return {
    gzip: Buffer.concat([Buffer.of(1), gzipSync(plain, { level: 1 })]),
    brotli: Buffer.concat([Buffer.of(2), brotliCompressSync(plain, { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } })]),
    snappy: Buffer.concat([Buffer.of(3), snappy.compressSync(plain)]),
  };
}
