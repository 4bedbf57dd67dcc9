import { brotliCompressSync, brotliDecompressSync, gunzipSync } from 'node:zlib';
import snappy from 'snappy';
import { beforeAll, describe, expect, it } from 'vitest';
import { algorithms, compress, decompress, type Algorithm } from '@kata/09-advanced-techniques/compressors.js';
import { expectRefusal } from '../support/refusal.js';
import { heldTheEventLoop, outcome } from './event-loop.js';
import { bombs } from './payloads.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const text = Buffer.from(JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ id: i, name: `user ${i}`, email: `user${i}@example.com` }))));

describe('compress and decompress', () => {
  it.each(algorithms)('round-trip %s, on the thread pool and off it', async (algorithm) => {
    for (const async of [false, true]) {
      const packed = await compress(algorithm, text, { async });
      expect(packed.length).toBeLessThan(text.length);
      expect(await decompress(algorithm, packed, { maxBytes: MiB, async })).toEqual(text);
    }
  });

  it('write what each algorithm\'s own decoder reads, and read what its own encoder writes', async () => {
    expect(gunzipSync(await compress('gzip', text, { async: false }))).toEqual(text);
    expect(brotliDecompressSync(await compress('brotli', text, { async: false }))).toEqual(text);
    expect(snappy.uncompressSync(await compress('snappy', text, { async: false }))).toEqual(text);
    expect(await decompress('brotli', brotliCompressSync(text), { maxBytes: MiB, async: false })).toEqual(text);
    expect(await decompress('snappy', snappy.compressSync(text), { maxBytes: MiB, async: false })).toEqual(text);
  });

  describe('a decompression bomb', () => {
    let bomb: Record<Algorithm, Buffer>;
    beforeAll(() => {
      bomb = bombs(4 * MiB); // each a few KiB, 4 MiB once expanded
    });

    it.each(algorithms)('is refused at maxBytes when %s would expand past it: a RangeError with code ERR_BUFFER_TOO_LARGE, on the thread pool and off it', async (algorithm) => {
      for (const async of [false, true]) {
        const refused = await outcome(decompress(algorithm, bomb[algorithm].subarray(1), { maxBytes: 64 * KiB, async }));
        expect(refused).toBeInstanceOf(RangeError);
        expect(refused).toMatchObject({ code: 'ERR_BUFFER_TOO_LARGE' });
      }
    });

    it.each(algorithms)('still lets a %s value of exactly maxBytes through', async (algorithm) => {
      const exact = Buffer.alloc(64 * KiB, 'a');
      const packed = await compress(algorithm, exact, { async: false });
      expect(await decompress(algorithm, packed, { maxBytes: 64 * KiB, async: false })).toEqual(exact);
    });
  });

  it('leave the event loop free while they work on the thread pool, and do small work right away', async () => {
    const big = Buffer.concat(Array.from({ length: 30 }, () => text));
    let packed: Buffer = Buffer.alloc(0);
    expect(await heldTheEventLoop(async () => (packed = await compress('gzip', big, { async: true })))).toBe(false);
    expect(await heldTheEventLoop(() => decompress('gzip', packed, { maxBytes: 16 * MiB, async: true }))).toBe(false);
    expect(await heldTheEventLoop(() => compress('gzip', text, { async: false }))).toBe(true);
  });

  it('refuse an algorithm they do not know, and a maxBytes that is not a whole number ≥ 1 (RangeError)', async () => {
    const bytes = (work: Promise<Buffer>) => work.then((buffer) => `${buffer.length} bytes`); // a failure then says how many, not which
    await expectRefusal(() => bytes(compress('zip' as Algorithm, text, { async: false })), RangeError, 'algorithm');
    await expectRefusal(() => bytes(decompress('zip' as Algorithm, text, { maxBytes: MiB, async: false })), RangeError, 'algorithm');
    await expectRefusal(() => bytes(decompress('gzip', text, { maxBytes: 0, async: false })), RangeError, 'maxBytes');
  });
});
