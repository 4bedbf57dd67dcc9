import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressedCodec, getCompressed, HEADER, setCompressed, type Algorithm } from '@kata/09-advanced-techniques/compression.js';
import { CodecError, jsonCodec, msgpackCodec } from '../../provided/codecs.js';
import { useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';
import { outcome } from './event-loop.js';
import { bombs, users } from './payloads.js';

const ns = useRedis();
const algorithms: Algorithm[] = ['gzip', 'brotli', 'snappy'];
const MiB = 1024 * 1024;

describe('compressedCodec', () => {
  it.each(algorithms)('round-trips what lesson 03\'s codec keeps (Date, Map, nested undefined) with %s, its first byte saying how', async (algorithm) => {
    const codec = compressedCodec({ algorithm, threshold: 0 });
    const value = { users: users(50), at: new Date('2024-05-01T00:00:00Z'), visits: new Map([['a', 1]]), gone: undefined };
    const bytes = await codec.encode(value);
    expect(bytes[0]).toBe(HEADER[algorithm]);
    expect(await codec.decode(bytes)).toEqual(value);
  });

  it('stores a value under the threshold raw, one header byte longer than the codec\'s bytes (the source\'s gzip makes it longer)', async () => {
    const small = { id: 1, name: 'Ada' };
    const bytes = await compressedCodec({ threshold: 1024 }).encode(small);
    expect(bytes[0]).toBe(HEADER.raw);
    expect(bytes.length).toBe(jsonCodec.encode(small).length + 1);
  });

  it('compresses a value at or over the threshold with brotli by default, and it comes out smaller', async () => {
    const list = users(100);
    const plain = jsonCodec.encode(list);
    const atThreshold = await compressedCodec({ threshold: plain.length }).encode(list);
    expect(atThreshold[0]).toBe(HEADER.brotli);
    expect(atThreshold.length).toBeLessThan(plain.length / 2);
    expect((await compressedCodec({ threshold: plain.length + 1 }).encode(list))[0]).toBe(HEADER.raw);
  });

  it('stores raw what compression does not shrink (random bytes), so compression never costs space', async () => {
    const noise = randomBytes(4096);
    const bytes = await compressedCodec({ codec: msgpackCodec, threshold: 0 }).encode(noise);
    expect(bytes[0]).toBe(HEADER.raw);
    expect(bytes.length).toBe(msgpackCodec.encode(noise).length + 1);
  });

  it('reads every algorithm whichever one it writes: raw, gzip, brotli and snappy values live side by side', async () => {
    const value = users(100);
    const written = await Promise.all(algorithms.map((algorithm) => compressedCodec({ algorithm, threshold: 0 }).encode(value)));
    written.push(await compressedCodec({ threshold: 1_000_000 }).encode(value));
    for (const reader of algorithms.map((algorithm) => compressedCodec({ algorithm }))) {
      for (const bytes of written) expect(await reader.decode(bytes)).toEqual(value);
    }
  });

  it('raises a CodecError for what it did not write: a value from before compression, the source\'s gzip, an unknown header byte, a bomb', async () => {
    const codec = compressedCodec({ maxDecodedBytes: 64 * 1024 });
    for (const foreign of [jsonCodec.encode(users(3)), gzipSync(jsonCodec.encode(users(3))), Buffer.from([0x7f, 1, 2, 3]), bombs(MiB).gzip]) {
      expect(await outcome(codec.decode(foreign))).toBeInstanceOf(CodecError);
    }
  });

  it('refuses options it cannot honour (RangeError): an unknown algorithm, sizes that are not whole numbers of bytes', async () => {
    await expectRefusal(() => compressedCodec({ algorithm: 'zip' as Algorithm }), RangeError, 'algorithm');
    await expectRefusal(() => compressedCodec({ threshold: -1 }), RangeError, 'threshold');
    await expectRefusal(() => compressedCodec({ maxDecodedBytes: 0 }), RangeError, 'maxDecodedBytes');
    await expectRefusal(() => compressedCodec({ asyncAbove: 1.5 }), RangeError, 'asyncAbove');
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

  it('is a miss, and removes the key, for what the codec cannot read: a value from before compression, broken bytes, a bomb', async () => {
    await ns.redis.set(ns.key('legacy'), JSON.stringify({ id: 1, name: 'Ada' }));
    await ns.redis.set(ns.key('broken'), Buffer.from([HEADER.gzip, 1, 2, 3]));
    await ns.redis.set(ns.key('bomb'), bombs(MiB).gzip);
    for (const key of [ns.key('legacy'), ns.key('broken'), ns.key('bomb')]) {
      expect(await getCompressed(ns.redis, key, compressedCodec({ maxDecodedBytes: 64 * 1024 }))).toEqual({ hit: false });
      expect(await ns.redis.exists(key)).toBe(0);
    }
  });

  it('refuses an empty key (TypeError) and a TTL Redis would refuse (RangeError), before anything is sent', async () => {
    const codec = compressedCodec();
    await expectRefusal(() => setCompressed(ns.redis, '', 1, 60, codec), TypeError, 'key');
    await expectRefusal(() => getCompressed(ns.redis, '', codec), TypeError, 'key');
    await expectRefusal(() => setCompressed(ns.redis, ns.key('k'), 1, 0, codec), RangeError, 'ttlSeconds');
    expect(await ns.redis.exists(ns.key('k'))).toBe(0);
  });
});
