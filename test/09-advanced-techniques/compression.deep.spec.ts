import { constants as bufferConstants } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { ReplyError, type Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { compressedCodec, getCompressed, HEADER, setCompressed, type Algorithm } from '@kata/09-advanced-techniques/compression.js';
import { CodecError, jsonCodec, msgpackCodec } from '../../provided/codecs.js';
import { onRealRedis, useRedis } from '../support/redis.js';
import { heldTheEventLoop, outcome } from './event-loop.js';
import { bombs, users } from './payloads.js';

const ns = useRedis();
const algorithms: Algorithm[] = ['gzip', 'brotli', 'snappy'];
const MiB = 1024 * 1024;

/** The test's Redis, except that GET of any key answers `error` (what Redis says for a key of another type, or when it is down). */
function answering(redis: Redis, error: () => Error): Redis {
  return new Proxy(redis, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === 'getBuffer') return () => Promise.reject(error());
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('compressedCodec, every corner', () => {
  it.each(algorithms)('stores raw what %s does not shrink, and reads it back exactly', async (algorithm) => {
    const codec = compressedCodec({ algorithm, codec: msgpackCodec, threshold: 0 });
    const random = randomBytes(4096);
    const stored = await codec.encode(random);
    expect(stored[0]).toBe(HEADER.raw);
    expect(Buffer.from((await codec.decode(stored)) as Uint8Array)).toEqual(random);
  });

  it('names the header byte it does not know with two hex digits, and says an empty value has no header', async () => {
    const codec = compressedCodec();
    await expect(codec.decode(Buffer.from([0x7f, 1, 2, 3]))).rejects.toThrow(/0x7f/);
    await expect(codec.decode(Buffer.from([0x09, 1, 2, 3])), 'a byte under 0x10 keeps its two hex digits').rejects.toThrow(/0x09/);
    await expect(codec.decode(Buffer.alloc(0))).rejects.toThrow(CodecError);
    await expect(codec.decode(Buffer.alloc(0))).rejects.toThrow(/empty/);
  });

  it('reads every byte from 0x04 to 0xff, the ones a format reserves for later, as a CodecError, never a value', async () => {
    const codec = compressedCodec();
    const body = (await compressedCodec({ threshold: 0, algorithm: 'gzip' }).encode(users(3))).subarray(1);
    for (let header = 0x04; header <= 0xff; header++) {
      await expect(codec.decode(Buffer.concat([Buffer.of(header), body])), `0x${header.toString(16)}`).rejects.toBeInstanceOf(CodecError);
    }
  });

  it('says "broken gzip data" for bytes gzip cannot read, and keeps the decompressor\'s error as the cause', async () => {
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

  it.each(algorithms)('refuses a 16 MiB %s bomb at 1 MiB with a CodecError that names maxDecodedBytes, on the thread pool and off it', async (algorithm) => {
    const bomb = bombs(16 * MiB)[algorithm];
    expect(bomb.length).toBeLessThan(MiB);
    for (const asyncAbove of [0, 2 ** 30]) {
      const codec = compressedCodec({ maxDecodedBytes: MiB, asyncAbove });
      const refused = await outcome(codec.decode(bomb));
      expect(refused).toBeInstanceOf(CodecError);
      expect(String(refused)).toMatch(/maxDecodedBytes/);
    }
  });

  it.each(algorithms)('still writes and decodes a %s value of exactly maxDecodedBytes', async (algorithm) => {
    const value = 'a'.repeat(MiB - jsonCodec.encode('').length);
    expect(jsonCodec.encode(value).length).toBe(MiB);
    const codec = compressedCodec({ algorithm, threshold: 0, maxDecodedBytes: MiB });
    const bytes = await codec.encode(value);
    expect(bytes[0]).toBe(HEADER[algorithm]);
    expect(await codec.decode(bytes)).toBe(value);
  });

  it('refuses a snappy value that claims 4 GiB before believing it, and keeps the length in the cause', async () => {
    const claims4GiB = Buffer.from([HEADER.snappy, 0x80, 0x80, 0x80, 0x80, 0x10, 0x00]);
    const error = await compressedCodec({ maxDecodedBytes: MiB }).decode(claims4GiB).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/maxDecodedBytes/);
    expect(((error as Error).cause as Error).message).toMatch(/4294967296/);
  });

  it('says "broken snappy data" for a snappy length longer than 5 bytes or cut short', async () => {
    const codec = compressedCodec({ maxDecodedBytes: MiB });
    for (const bytes of [Buffer.from([HEADER.snappy, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00]), Buffer.from([HEADER.snappy, 0x80]), Buffer.from([HEADER.snappy, 0xff, 0xff])]) {
      await expect(codec.decode(bytes)).rejects.toThrow(/broken snappy data/);
    }
  });

  it('refuses to write a value larger than maxDecodedBytes, at the write, with a RangeError that gives the bound', async () => {
    const codec = compressedCodec({ maxDecodedBytes: 1000 });
    await expect(codec.encode('x'.repeat(2000))).rejects.toThrow(RangeError);
    await expect(codec.encode('x'.repeat(2000))).rejects.toThrow(/maxDecodedBytes \(1000\)/);
    await expect(codec.encode('x'.repeat(10))).resolves.toBeInstanceOf(Buffer);
  });

  it('refuses at the write what its codec cannot store, with the codec\'s own TypeError', async () => {
    await expect(compressedCodec().encode({ save() {} })).rejects.toThrow(TypeError);
  });

  it('does not hold the event loop while it compresses or decompresses a large value (2,000 users, 590 KB of JSON)', async () => {
    const codec = compressedCodec({ asyncAbove: 32 * 1024 });
    let bytes: Buffer = Buffer.alloc(0);
    expect(await heldTheEventLoop(async () => (bytes = await codec.encode(users(2_000))))).toBe(false);
    expect(bytes[0]).toBe(HEADER.brotli);
    expect(await heldTheEventLoop(() => codec.decode(bytes))).toBe(false);
  });

  it('compresses and decompresses a value under asyncAbove right away, without a trip to the thread pool', async () => {
    const codec = compressedCodec({ threshold: 0, asyncAbove: 64 * 1024 });
    let bytes: Buffer = Buffer.alloc(0);
    expect(await heldTheEventLoop(async () => (bytes = await codec.encode(users(20))))).toBe(true);
    expect(await heldTheEventLoop(() => codec.decode(bytes))).toBe(true);
  });

  it('sends a value of exactly asyncAbove bytes to the thread pool, the plain bytes when encoding and the stored body when decoding', async () => {
    const size = jsonCodec.encode(users(20)).length;
    let bytes: Buffer = Buffer.alloc(0);
    expect(await heldTheEventLoop(async () => (bytes = await compressedCodec({ threshold: 0, asyncAbove: size }).encode(users(20))))).toBe(false);
    expect(await heldTheEventLoop(async () => compressedCodec({ threshold: 0, asyncAbove: size + 1 }).encode(users(20)))).toBe(true);
    expect(await heldTheEventLoop(() => compressedCodec({ asyncAbove: bytes.length - 1 }).decode(bytes))).toBe(false); // the body, without its header byte
    expect(await heldTheEventLoop(() => compressedCodec({ asyncAbove: bytes.length }).decode(bytes))).toBe(true);
  });

  it('refuses every option it cannot honour with a RangeError', () => {
    const bad = [
      { algorithm: 'zip' as Algorithm }, { algorithm: 'toString' as Algorithm }, { algorithm: 'raw' as Algorithm },
      { threshold: Number.NaN }, { threshold: -1 }, { threshold: 1.5 },
      { maxDecodedBytes: 0 }, { maxDecodedBytes: Number.POSITIVE_INFINITY }, { maxDecodedBytes: 2 ** 53 },
      { asyncAbove: Number.NaN }, { asyncAbove: -1 },
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

describe('setCompressed / getCompressed, every corner', () => {
  it('stores fewer bytes than the JSON for a large value, and exactly the raw bytes plus a header for a small one', async () => {
    const codec = compressedCodec();
    await setCompressed(ns.redis, ns.key('big'), users(100), 60, codec);
    await setCompressed(ns.redis, ns.key('small'), { id: 1 }, 60, codec);
    expect(await ns.redis.strlen(ns.key('big'))).toBeLessThan(jsonCodec.encode(users(100)).length / 2);
    expect(await ns.redis.strlen(ns.key('small'))).toBe(jsonCodec.encode({ id: 1 }).length + 1);
  });

  it('is a miss, and removes the key, for an unknown header byte, and the next write heals the key', async () => {
    await ns.redis.set(ns.key('future'), Buffer.from([0x09, 1, 2, 3]));
    expect(await getCompressed(ns.redis, ns.key('future'), compressedCodec())).toEqual({ hit: false });
    expect(await ns.redis.exists(ns.key('future'))).toBe(0);
    await setCompressed(ns.redis, ns.key('future'), 'healed', 60, compressedCodec());
    expect(await getCompressed(ns.redis, ns.key('future'), compressedCodec())).toEqual({ hit: true, value: 'healed' });
  });

  it('reads a key of another type (WRONGTYPE) as a miss and removes it, as every other cache in the kata does', async () => {
    const wrongType = answering(ns.redis, () => new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value'));
    await ns.redis.rpush(ns.key('list'), 'a');
    expect(await getCompressed(wrongType, ns.key('list'), compressedCodec())).toEqual({ hit: false });
    expect(await ns.redis.exists(ns.key('list'))).toBe(0);
  });

  onRealRedis('ioredis-mock answers GET on a list with the list, not WRONGTYPE')('reads a list under the key as a miss, removes it, and the next write replaces it', async () => {
    await ns.redis.rpush(ns.key('list'), 'a');
    const codec = compressedCodec();
    expect(await getCompressed(ns.redis, ns.key('list'), codec)).toEqual({ hit: false });
    expect(await ns.redis.exists(ns.key('list'))).toBe(0);
    await ns.redis.rpush(ns.key('list'), 'a');
    await setCompressed(ns.redis, ns.key('list'), { id: 1 }, 60, codec);
    expect(await getCompressed(ns.redis, ns.key('list'), codec)).toEqual({ hit: true, value: { id: 1 } });
  });

  it('lets a Redis that does not answer reach the caller, for the caller\'s fallback to decide, and deletes nothing', async () => {
    const down = answering(ns.redis, () => new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    await setCompressed(ns.redis, ns.key('user'), { id: 1 }, 60, compressedCodec());
    await expect(getCompressed(down, ns.key('user'), compressedCodec())).rejects.toThrow(/ECONNREFUSED/);
    expect(await ns.redis.exists(ns.key('user'))).toBe(1);
  });

  it('treats a bug in a codec as a bug, not a miss: a TypeError from decode reaches the caller, and the key stays', async () => {
    const buggy = compressedCodec({ codec: { ...jsonCodec, decode: () => { throw new TypeError('a bug in decode'); } } });
    await setCompressed(ns.redis, ns.key('user'), { id: 1 }, 60, buggy);
    await expect(getCompressed(ns.redis, ns.key('user'), buggy)).rejects.toThrow(TypeError);
    expect(await ns.redis.exists(ns.key('user'))).toBe(1);
  });

  it('refuses a bad key, a bad TTL and an unstorable value before anything is sent, naming the call', async () => {
    const codec = compressedCodec();
    await expect(setCompressed(ns.redis, '', 1, 60, codec)).rejects.toThrow(/setCompressed/);
    await expect(getCompressed(ns.redis, '', codec)).rejects.toThrow(/getCompressed/);
    for (const ttl of [0, 1.5, Number.NaN]) await expect(setCompressed(ns.redis, ns.key('k'), 1, ttl, codec)).rejects.toThrow(RangeError);
    await expect(setCompressed(ns.redis, ns.key('k'), 1, 0, codec)).rejects.toThrow(/setCompressed/);
    await expect(setCompressed(ns.redis, ns.key('k'), { save() {} }, 60, codec)).rejects.toThrow(TypeError);
    expect(await ns.redis.exists(ns.key('k'))).toBe(0);
  });
});
