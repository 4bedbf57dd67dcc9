import { constants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { algorithms, compress, decompress, type Algorithm } from '@kata/09-advanced-techniques/compressors.js';
import { heldTheEventLoop, outcome } from './event-loop.js';
import { bombs } from './payloads.js';

const MiB = 1024 * 1024;
const text = Buffer.from('the quick brown fox jumps over the lazy dog; '.repeat(400));

describe('compress and decompress, every corner', () => {
  it.each(algorithms)('say a %s body that is broken or cut short is broken data, not a bomb', async (algorithm) => {
    const good = await compress(algorithm, text, { async: false });
    for (const broken of [Buffer.from([1, 2, 3, 4, 5]), good.subarray(0, good.length >> 1)]) {
      for (const async of [false, true]) {
        const error = await decompress(algorithm, broken, { maxBytes: MiB, async }).catch((e: unknown) => e);
        expect(error, `${algorithm} async ${async}`).toBeInstanceOf(Error);
        expect((error as NodeJS.ErrnoException).code).not.toBe('ERR_BUFFER_TOO_LARGE');
      }
    }
  });

  it('believe no snappy length before checking it: a value that claims 4 GiB is refused before snappy allocates it', async () => {
    const claims4GiB = Buffer.from([0x80, 0x80, 0x80, 0x80, 0x10, 0x00]);
    const error = await decompress('snappy', claims4GiB, { maxBytes: MiB, async: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeError);
    expect(error).toMatchObject({ code: 'ERR_BUFFER_TOO_LARGE', message: expect.stringMatching(/4294967296/) });
  });

  it('read a snappy length of at most 5 bytes (a 32-bit varint): a longer one, or one cut short, is broken data', async () => {
    for (const bytes of [Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00]), Buffer.from([0x80]), Buffer.from([0xff, 0xff]), Buffer.alloc(0)]) {
      const error = await decompress('snappy', bytes, { maxBytes: MiB, async: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(RangeError);
      expect((error as Error).message).toMatch(/without a length/);
    }
  });

  it('let a snappy value of exactly maxBytes through, and refuse one byte more, by its length alone', async () => {
    const packed = await compress('snappy', Buffer.alloc(1000, 'a'), { async: false });
    expect((await decompress('snappy', packed, { maxBytes: 1000, async: true })).length).toBe(1000);
    await expect(decompress('snappy', packed, { maxBytes: 999, async: true })).rejects.toMatchObject({ code: 'ERR_BUFFER_TOO_LARGE' });
  });

  it.each(algorithms)('refuse a %s bomb at maxBytes 1, and let one byte through', async (algorithm) => {
    const bomb = bombs(64 * 1024)[algorithm].subarray(1);
    expect(await outcome(decompress(algorithm, bomb, { maxBytes: 1, async: false }))).toMatchObject({ code: 'ERR_BUFFER_TOO_LARGE' });
    const one = await compress(algorithm, Buffer.from('a'), { async: false });
    expect(await decompress(algorithm, one, { maxBytes: 1, async: false })).toEqual(Buffer.from('a'));
  });

  it('compress brotli at quality 5: smaller than quality 1, much faster than 11', async () => {
    const q5 = await compress('brotli', text, { async: false });
    const { brotliCompressSync } = await import('node:zlib');
    const q1 = brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } });
    const q5direct = brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
    expect(q5).toEqual(q5direct);
    expect(q5.length).toBeLessThanOrEqual(q1.length);
  });

  it('decompress a small value right away when async is false, and on the pool when it is true', async () => {
    for (const algorithm of algorithms) {
      const packed = await compress(algorithm, text, { async: false });
      expect(await heldTheEventLoop(() => decompress(algorithm, packed, { maxBytes: MiB, async: false })), algorithm).toBe(true);
      expect(await heldTheEventLoop(() => compress(algorithm, text, { async: false })), algorithm).toBe(true);
      expect(await heldTheEventLoop(() => compress(algorithm, text, { async: true })), algorithm).toBe(false);
      expect(await heldTheEventLoop(() => decompress(algorithm, packed, { maxBytes: MiB, async: true })), algorithm).toBe(false);
    }
  });

  it('say which algorithms they know, and which maxBytes they got', async () => {
    await expect(compress('toString' as Algorithm, text, { async: false })).rejects.toThrow(/algorithm must be one of gzip, brotli, snappy, got toString/);
    for (const maxBytes of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      await expect(decompress('gzip', text, { maxBytes, async: false }), String(maxBytes)).rejects.toThrow(RangeError);
    }
    await expect(decompress('gzip', text, { maxBytes: 1.5, async: false })).rejects.toThrow(/decompress: maxBytes .*got 1.5/);
  });
});
