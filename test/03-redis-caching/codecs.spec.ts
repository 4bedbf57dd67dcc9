import { describe, expect, it } from 'vitest';
import { CodecError, jsonCodec, msgpackCodec } from '@kata/03-redis-caching/codecs.js';
import { expectRefusal } from '../support/refusal.js';
import { rich, users } from './samples.js';

describe.each([jsonCodec, msgpackCodec])('$name codec', (codec) => {
  it('round-trips Date, BigInt, Map, Set and nested undefined', () => {
    const back = codec.decode(codec.encode(rich)) as typeof rich;
    expect(back).toEqual(rich);
    expect(back.createdAt).toBeInstanceOf(Date);
    expect(back.roles).toBeInstanceOf(Set);
    expect(back.visits).toBeInstanceOf(Map);
    expect('nickname' in back.profile).toBe(true);
  });

  it('round-trips falsy values as themselves: 0, \'\', false, null, undefined', () => {
    for (const value of [0, '', false, null, undefined]) expect(codec.decode(codec.encode(value))).toBe(value);
  });

  it('raises a CodecError for bytes it did not write: garbage, nothing, a truncated value', () => {
    const truncated = codec.encode(users).subarray(0, 40);
    for (const bytes of [Buffer.from('definitely not a value'), Buffer.alloc(0), truncated]) {
      expect(() => codec.decode(bytes)).toThrow(CodecError);
    }
  });

  it('refuses a function with a TypeError (a cache stores data, not code; both libraries would drop it)', async () => {
    await expectRefusal(() => codec.encode({ user: { id: 1, save() {} } }), TypeError, 'value');
  });
});

describe('jsonCodec (superjson)', () => {
  it('raises a CodecError for JSON it did not write, such as "5" or {"id":1} (superjson.parse returns undefined)', () => {
    for (const text of ['5', '{"id":1}', '[]', 'null']) {
      expect(() => jsonCodec.decode(Buffer.from(text))).toThrow(CodecError);
    }
  });
});

describe('the size of the same value in each codec', () => {
  it('msgpack stores 100 user records in less than half the bytes of the JSON codec', () => {
    const json = jsonCodec.encode(users).length;
    const msgpack = msgpackCodec.encode(users).length;
    expect(msgpack).toBeLessThan(json / 2);
  });
});
