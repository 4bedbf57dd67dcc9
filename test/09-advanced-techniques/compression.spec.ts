import { constants as bufferConstants } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { compressedCodec, getCompressed, HEADER, setCompressed, type Algorithm } from '@kata/09-advanced-techniques/compression.js';
import { CodecError, jsonCodec, msgpackCodec } from '../../provided/codecs.js';
import { onRealRedis, useRedis } from '../support/redis.js';
import { bombs, users } from './payloads.js';

const ns = useRedis();
const algorithms: Algorithm[] = ['gzip', 'brotli', 'snappy'];
const MiB = 1024 * 1024;

/** True when `work` finished before a setImmediate queued just before it could run: it held the event loop the whole time. */
async function heldTheEventLoop(work: () => Promise<unknown>): Promise<boolean> {
  let loopTurned = false;
  setImmediate(() => (loopTurned = true));
  await work();
  return !loopTurned;
}

describe('compressedCodec', () => {
  it.each(algorithms)('round-trips what lesson 03\'s codec keeps (Date, Map, nested undefined) with %s', async (algorithm) => {
    const codec = compressedCodec({ algorithm, threshold: 0 });
    const value = { users: users(50), at: new Date('2024-05-01T00:00:00Z'), visits: new Map([['a', 1]]), gone: undefined };
    const bytes = await codec.encode(value);
    expect(bytes[0], 'the first byte says how the value was stored (HEADER)').toBe(HEADER[algorithm]);
    expect(await codec.decode(bytes)).toEqual(value);
  });

  it('stores a value under the threshold raw, one header byte longer than the codec\'s bytes (the source\'s gzip makes it longer)', async () => {
    const codec = compressedCodec({ threshold: 1024 });
    const small = { id: 1, name: 'Ada' };
    const bytes = await codec.encode(small);
    expect(bytes[0], 'the first byte says how the value was stored (HEADER)').toBe(HEADER.raw);
    expect(bytes.length).toBe(jsonCodec.encode(small).length + 1);
    expect(await codec.decode(bytes)).toEqual(small);
  });

  it('compresses a value at or over the threshold with brotli by default, and it comes out smaller', async () => {
    const list = users(100);
    const plain = jsonCodec.encode(list);
    const atThreshold = await compressedCodec({ threshold: plain.length }).encode(list);
    expect(atThreshold[0], 'the first byte says how the value was stored (HEADER)').toBe(HEADER.brotli);
    expect(atThreshold.length).toBeLessThan(plain.length / 2);
    const overThreshold = await compressedCodec({ threshold: plain.length + 1 }).encode(list);
    expect(overThreshold[0], 'the first byte says how the value was stored (HEADER)').toBe(HEADER.raw);
  });

  it.each(algorithms)('stores raw what %s does not shrink (random bytes), so compression never costs space', async (algorithm) => {
    const noise = randomBytes(4096);
    const codec = compressedCodec({ algorithm, codec: msgpackCodec, threshold: 0 });
    const bytes = await codec.encode(noise);
    expect(bytes[0], 'the first byte says how the value was stored (HEADER)').toBe(HEADER.raw);
    expect(bytes.length).toBe(msgpackCodec.encode(noise).length + 1);
    expect(Buffer.from((await codec.decode(bytes)) as Uint8Array)).toEqual(noise);
  });

  it('reads every algorithm whichever one it writes: raw, gzip, brotli and snappy values live side by side', async () => {
    const value = users(100);
    const written = await Promise.all(algorithms.map((algorithm) => compressedCodec({ algorithm, threshold: 0 }).encode(value)));
    written.push(await compressedCodec({ threshold: 1_000_000 }).encode(value));
    for (const reader of algorithms.map((algorithm) => compressedCodec({ algorithm }))) {
      for (const bytes of written) expect(await reader.decode(bytes)).toEqual(value);
    }
  });

  it('raises a CodecError for a value written before compression was turned on (the source\'s gunzip throws on every read)', async () => {
    const codec = compressedCodec();
    await expect(codec.decode(jsonCodec.encode(users(3)))).rejects.toThrow(CodecError);
    await expect(codec.decode(gzipSync(jsonCodec.encode(users(3))))).rejects.toThrow(CodecError);
  });

  it('raises a CodecError that names the header byte it does not know, and for an empty value', async () => {
    const codec = compressedCodec();
    await expect(codec.decode(Buffer.from([0x7f, 1, 2, 3]))).rejects.toThrow(/0x7f/);
    await expect(codec.decode(Buffer.from([0x09, 1, 2, 3])), 'a byte under 0x10 keeps its two hex digits').rejects.toThrow(/0x09/);
    await expect(codec.decode(Buffer.alloc(0))).rejects.toThrow(CodecError);
    await expect(codec.decode(Buffer.alloc(0))).rejects.toThrow(/empty/);
  });

  it('says "broken gzip data" for bytes gzip cannot read, and keeps zlib\'s error as the cause', async () => {
    const error = await compressedCodec().decode(Buffer.from([HEADER.gzip, 1, 2, 3])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodecError);
    expect((error as Error).message).toMatch(/broken gzip data/);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it.each(algorithms)('raises a CodecError for a %s header over broken or truncated bytes, or over bytes its codec did not write', async (algorithm) => {
    const codec = compressedCodec({ algorithm, threshold: 0 });
    const good = await codec.encode(users(100));
    const notJson = Buffer.concat([Buffer.of(HEADER[algorithm]), (await compressedCodec({ algorithm, threshold: 0, codec: msgpackCodec }).encode(users(100))).subarray(1)]);
    for (const bytes of [Buffer.from([HEADER[algorithm], 1, 2, 3, 4, 5]), good.subarray(0, good.length >> 1), notJson]) {
      await expect(codec.decode(bytes)).rejects.toThrow(CodecError);
      await expect(codec.decode(bytes), 'broken is not a bomb').rejects.not.toThrow(/maxDecodedBytes/);
    }
  });

  describe('decompression bombs', () => {
    let bomb: Record<Algorithm, Buffer>;
    beforeAll(() => {
      bomb = bombs(16 * MiB);
    });

    it.each(algorithms)('refuses a small %s value that expands past maxDecodedBytes (16 MiB out of well under 1 MiB), with a CodecError, on the thread pool and off it', async (algorithm) => {
      expect(bomb[algorithm].length).toBeLessThan(MiB);
      for (const asyncAbove of [0, 2 ** 30]) {
        const codec = compressedCodec({ maxDecodedBytes: MiB, asyncAbove });
        await expect(codec.decode(bomb[algorithm])).rejects.toThrow(CodecError);
        await expect(codec.decode(bomb[algorithm])).rejects.toThrow(/maxDecodedBytes/);
      }
    });

    it.each(algorithms)('still writes and decodes a %s value of exactly maxDecodedBytes', async (algorithm) => {
      const value = 'a'.repeat(MiB - jsonCodec.encode('').length);
      expect(jsonCodec.encode(value).length).toBe(MiB);
      const codec = compressedCodec({ algorithm, threshold: 0, maxDecodedBytes: MiB });
      const bytes = await codec.encode(value);
      expect(bytes[0], 'the first byte says how the value was stored (HEADER)').toBe(HEADER[algorithm]);
      expect(await codec.decode(bytes)).toBe(value);
    });

    it('believes no snappy length before checking it: a value that claims 4 GiB is refused', async () => {
      const claims4GiB = Buffer.from([HEADER.snappy, 0x80, 0x80, 0x80, 0x80, 0x10, 0x00]);
      const error = await compressedCodec({ maxDecodedBytes: MiB }).decode(claims4GiB).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/maxDecodedBytes/);
      expect(((error as Error).cause as Error).message, 'the cause names the length the value claims').toMatch(/4294967296/);
    });

    it('reads a snappy length of at most 5 bytes (a 32-bit varint): a longer one, or one cut short, is broken data, not a bomb', async () => {
      const codec = compressedCodec({ maxDecodedBytes: MiB });
      const sixByteLength = Buffer.from([HEADER.snappy, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00]);
      await expect(codec.decode(sixByteLength)).rejects.toThrow(/broken snappy data/);
      for (const cutShort of [Buffer.from([HEADER.snappy, 0x80]), Buffer.from([HEADER.snappy, 0xff, 0xff])]) {
        const error = await codec.decode(cutShort).catch((e: unknown) => e);
        expect((error as Error).message).toMatch(/broken snappy data/);
        expect(((error as Error).cause as Error).message, 'the cause says the length is missing').toMatch(/without a length/);
      }
    });
  });

  it('refuses to write a value larger than maxDecodedBytes, at the write: every reader would refuse it', async () => {
    const codec = compressedCodec({ maxDecodedBytes: 1000 });
    await expect(codec.encode('x'.repeat(2000))).rejects.toThrow(RangeError);
    await expect(codec.encode('x'.repeat(2000)), 'the message gives the bound').rejects.toThrow(/maxDecodedBytes \(1000\)/);
    await expect(codec.encode('x'.repeat(10))).resolves.toBeInstanceOf(Buffer);
  });

  it('does not hold the event loop while it compresses or decompresses a large value (2,000 users, 590 KB of JSON)', async () => {
    const codec = compressedCodec({ asyncAbove: 32 * 1024 });
    const big = users(2_000);
    let bytes: Buffer = Buffer.alloc(0);
    expect(await heldTheEventLoop(async () => (bytes = await codec.encode(big)))).toBe(false);
    expect(bytes[0], 'the first byte says how the value was stored (HEADER)').toBe(HEADER.brotli);
    expect(await heldTheEventLoop(() => codec.decode(bytes))).toBe(false);
  });

  it('compresses and decompresses a value under asyncAbove right away, without a trip to the thread pool', async () => {
    const codec = compressedCodec({ threshold: 0, asyncAbove: 64 * 1024 });
    let bytes: Buffer = Buffer.alloc(0);
    expect(await heldTheEventLoop(async () => (bytes = await codec.encode(users(20))))).toBe(true);
    expect(await heldTheEventLoop(() => codec.decode(bytes))).toBe(true);
  });

  it('sends a value of exactly asyncAbove bytes to the thread pool, raw when encoding and stored when decoding', async () => {
    const size = jsonCodec.encode(users(20)).length;
    const codec = compressedCodec({ threshold: 0, asyncAbove: size });
    let bytes: Buffer = Buffer.alloc(0);
    expect(await heldTheEventLoop(async () => (bytes = await codec.encode(users(20))))).toBe(false);
    const reader = compressedCodec({ asyncAbove: bytes.length - 1 }); // the body, without its header byte
    expect(await heldTheEventLoop(() => reader.decode(bytes))).toBe(false);
  });

  it('refuses options it cannot honour with a RangeError: unknown algorithm, NaN, negative, fractional or infinite sizes', () => {
    const bad = [
      { algorithm: 'zip' as Algorithm },
      { algorithm: 'toString' as Algorithm },
      { threshold: Number.NaN },
      { threshold: -1 },
      { threshold: 1.5 },
      { maxDecodedBytes: 0 },
      { maxDecodedBytes: Number.POSITIVE_INFINITY },
      { maxDecodedBytes: 2 ** 53 },
      { asyncAbove: Number.NaN },
      { asyncAbove: -1 },
    ];
    for (const options of bad) expect(() => compressedCodec(options), JSON.stringify(options)).toThrow(RangeError);
  });

  it('names the option and the bad value in its error, and lists the algorithms it knows', () => {
    expect(() => compressedCodec({ algorithm: 'zip' as Algorithm })).toThrow(/gzip, brotli, snappy, got zip/);
    expect(() => compressedCodec({ threshold: -1 })).toThrow(/threshold .*got -1/);
    expect(() => compressedCodec({ maxDecodedBytes: 0 })).toThrow(/maxDecodedBytes .*got 0/);
    expect(() => compressedCodec({ asyncAbove: 1.5 })).toThrow(/asyncAbove .*got 1.5/);
  });

  it('accepts the smallest and largest sizes it can honour: maxDecodedBytes 1 and the largest Buffer Node can make', () => {
    expect(() => compressedCodec({ maxDecodedBytes: 1, threshold: 0, asyncAbove: 0 })).not.toThrow();
    expect(() => compressedCodec({ maxDecodedBytes: bufferConstants.MAX_LENGTH, threshold: bufferConstants.MAX_LENGTH, asyncAbove: bufferConstants.MAX_LENGTH })).not.toThrow();
  });

  it('is named after its algorithm and codec, and its methods work detached (no `this`)', async () => {
    const { name, encode, decode } = compressedCodec({ algorithm: 'brotli', codec: msgpackCodec, threshold: 0 });
    expect(name).toBe('brotli+msgpack');
    expect(await decode(await encode(users(10)))).toEqual(users(10));
  });
});

describe('setCompressed / getCompressed', () => {
  it('round-trips a value with its TTL, and a cached 0, \'\', false or null is a hit', async () => {
    const codec = compressedCodec({ threshold: 0 });
    await setCompressed(ns.redis, ns.key('users'), users(100), 60, codec);
    expect(await getCompressed(ns.redis, ns.key('users'), codec)).toEqual({ hit: true, value: users(100) });
    expect(await ns.redis.ttl(ns.key('users'))).toBeGreaterThan(0);
    for (const falsy of [0, '', false, null]) {
      await setCompressed(ns.redis, ns.key('falsy'), falsy, 60, codec);
      expect(await getCompressed(ns.redis, ns.key('falsy'), codec)).toEqual({ hit: true, value: falsy });
    }
    expect(await getCompressed(ns.redis, ns.key('nothing'), codec)).toEqual({ hit: false });
  });

  it('stores fewer bytes than the JSON for a large value, and exactly the raw bytes plus a header for a small one', async () => {
    const codec = compressedCodec();
    await setCompressed(ns.redis, ns.key('big'), users(100), 60, codec);
    await setCompressed(ns.redis, ns.key('small'), { id: 1 }, 60, codec);
    expect(await ns.redis.strlen(ns.key('big'))).toBeLessThan(jsonCodec.encode(users(100)).length / 2);
    expect(await ns.redis.strlen(ns.key('small'))).toBe(jsonCodec.encode({ id: 1 }).length + 1);
  });

  it('is a miss, and removes the key, for a value written before compression was turned on (a rollout must not break reads)', async () => {
    await ns.redis.set(ns.key('legacy'), JSON.stringify({ id: 1, name: 'Ada' }));
    expect(await getCompressed(ns.redis, ns.key('legacy'), compressedCodec())).toEqual({ hit: false });
    expect(await ns.redis.exists(ns.key('legacy'))).toBe(0);
  });

  it('is a miss, and removes the key, for an unknown header or broken compressed bytes', async () => {
    await ns.redis.set(ns.key('future'), Buffer.from([0x09, 1, 2, 3]));
    await ns.redis.set(ns.key('broken'), Buffer.from([HEADER.gzip, 1, 2, 3]));
    for (const key of [ns.key('future'), ns.key('broken')]) {
      expect(await getCompressed(ns.redis, key, compressedCodec())).toEqual({ hit: false });
      expect(await ns.redis.exists(key)).toBe(0);
    }
  });

  it('is a miss, and removes the key, for a decompression bomb anyone with write access put there', async () => {
    await ns.redis.set(ns.key('bomb'), bombs(16 * MiB).gzip);
    expect(await getCompressed(ns.redis, ns.key('bomb'), compressedCodec({ maxDecodedBytes: MiB }))).toEqual({ hit: false });
    expect(await ns.redis.exists(ns.key('bomb'))).toBe(0);
  });

  onRealRedis('ioredis-mock answers GET on a list with the list, not WRONGTYPE')('lets a Redis error through (a list under the key: WRONGTYPE), for the caller\'s fallback to decide, and deletes nothing', async () => {
    await ns.redis.rpush(ns.key('list'), 'a');
    await expect(getCompressed(ns.redis, ns.key('list'), compressedCodec())).rejects.toThrow(/WRONGTYPE/);
    expect(await ns.redis.exists(ns.key('list'))).toBe(1);
  });

  it('treats a bug in a codec as a bug, not a miss: a TypeError from decode reaches the caller, and the key stays', async () => {
    const buggy = compressedCodec({ codec: { ...jsonCodec, decode: () => { throw new TypeError('a bug in decode'); } } });
    await setCompressed(ns.redis, ns.key('user'), { id: 1 }, 60, buggy);
    await expect(getCompressed(ns.redis, ns.key('user'), buggy)).rejects.toThrow(TypeError);
    expect(await ns.redis.exists(ns.key('user'))).toBe(1);
  });

  it('refuses an empty key, a bad TTL and an unstorable value before anything is sent', async () => {
    const codec = compressedCodec();
    await expect(setCompressed(ns.redis, '', 1, 60, codec)).rejects.toThrow(TypeError);
    await expect(setCompressed(ns.redis, '', 1, 60, codec), 'the error names the call').rejects.toThrow(/setCompressed/);
    await expect(getCompressed(ns.redis, '', codec)).rejects.toThrow(TypeError);
    await expect(getCompressed(ns.redis, '', codec), 'the error names the call').rejects.toThrow(/getCompressed/);
    for (const ttl of [0, 1.5, Number.NaN]) await expect(setCompressed(ns.redis, ns.key('k'), 1, ttl, codec)).rejects.toThrow(RangeError);
    await expect(setCompressed(ns.redis, ns.key('k'), 1, 0, codec), 'the error names the call').rejects.toThrow(/setCompressed/);
    await expect(setCompressed(ns.redis, ns.key('k'), { save() {} }, 60, codec)).rejects.toThrow(TypeError);
    expect(await ns.redis.exists(ns.key('k'))).toBe(0);
  });
});
