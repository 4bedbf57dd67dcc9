import { describe, expect, it, vi } from 'vitest';
import { cached } from '../../solutions/03-redis-caching/read-through.js';
import { CodecError, jsonCodec, msgpackCodec } from '@kata/03-redis-caching/codecs.js';
import { useRedis } from '../support/redis.js';
import { users } from './samples.js';

describe.each([jsonCodec, msgpackCodec])('$name codec', (codec) => {

  it('raises a CodecError, naming the codec, for bytes it did not write', () => {
    const truncated = codec.encode(users).subarray(0, 40);
    for (const bytes of [Buffer.from('definitely not a value'), Buffer.alloc(0), truncated]) {
      expect(() => codec.decode(bytes)).toThrow(CodecError);
      expect(() => codec.decode(bytes)).toThrow(codec.name);
    }
  });

  it('refuses a function with a TypeError that says where it is (a cache stores data, not code)', () => {
    expect(() => codec.encode({ user: { id: 1, save() {} } })).toThrow(/save/);
    expect(() => codec.encode({ user: { id: 1, save() {} } })).toThrow(TypeError);
  });

  it('refuses a function inside a Map, as a Map key, or inside a Set, naming where it is', () => {
    expect(() => codec.encode({ hooks: new Map([['save', () => {}]]) })).toThrow(/value\.hooks\.save is a function/);
    expect(() => codec.encode(new Map([[() => 1, 'a']]))).toThrow(/value key .* is a function/);
    expect(() => codec.encode(new Set([1, Symbol('s')]))).toThrow(/value\.1 is a symbol/);
  });

  it('refuses what would come back as something else: a class instance (a plain object), an invalid Date, symbol keys', () => {
    class Money {
      constructor(readonly cents: number) {}
    }
    expect(() => codec.encode({ price: new Money(100) })).toThrow(/value\.price is a Money/);
    expect(() => codec.encode({ at: new Date(Number.NaN) })).toThrow(/value\.at is an invalid Date/);
    expect(() => codec.encode({ [Symbol('id')]: 1 })).toThrow(/symbol keys/);
  });

  it('round-trips a cycle: an object that contains itself comes back containing itself', () => {
    const user: Record<string, unknown> = { id: 1 };
    user.self = user;
    const back = codec.decode(codec.encode(user)) as Record<string, unknown>;
    expect(back.self).toBe(back);
  });

  it('names any class without a constructor it cannot store', () => {
    expect(() => codec.encode({ odd: Object.create(Object.create(null) as object) })).toThrow(/value\.odd is a class instance/);
  });

  it('round-trips bytes in a Uint8Array', () => {
    const bytes = new Uint8Array([0, 1, 254, 255]);
    expect(codec.decode(codec.encode({ bytes }))).toEqual({ bytes });
  });

  it('round-trips NaN, Infinity, a Map with object keys and an object without a prototype', () => {
    const value = { nan: Number.NaN, inf: -Infinity, byOwner: new Map([[{ id: 1 }, 'lamp']]), bare: Object.assign(Object.create(null) as object, { a: 1 }) };
    expect(codec.decode(codec.encode(value))).toEqual({ ...value, bare: { a: 1 } });
  });

  it('cannot be made to change Object.prototype by crafted bytes', () => {
    const crafted = [
      Buffer.from('{"json":{"__proto__":{"polluted":"yes"}}}'),
      Buffer.from('{"json":{"a":{}},"meta":{"values":{"__proto__.polluted":["undefined"]}}}'),
      Buffer.from([0x81, 0xa9, ...Buffer.from('__proto__'), 0x81, 0xa8, ...Buffer.from('polluted'), 0xc3]),
    ];
    for (const bytes of crafted) {
      try {
        codec.decode(bytes);
      } catch (error) {
        expect(error).toBeInstanceOf(CodecError);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('CodecError', () => {
  it('is an Error named CodecError that keeps the codec\'s name and the cause', () => {
    let caught: unknown;
    try {
      jsonCodec.decode(Buffer.from('{nope'));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(Error);
    expect(caught).toMatchObject({ name: 'CodecError', codec: 'json' });
    expect((caught as Error).cause).toBeInstanceOf(SyntaxError);
  });

  it('says which codec and why, for each way bytes can be wrong, keeping the cause where there is one', () => {
    const errorOf = (decode: () => unknown) => {
      try {
        decode();
      } catch (error) {
        return error as CodecError;
      }
      throw new Error('expected a CodecError');
    };
    expect([jsonCodec.name, msgpackCodec.name]).toEqual(['json', 'msgpack']);
    const notJson = errorOf(() => jsonCodec.decode(Buffer.from('{nope')));
    const notOurs = errorOf(() => jsonCodec.decode(Buffer.from('{"id":1}')));
    const broken = errorOf(() => jsonCodec.decode(Buffer.from('{"json":{"a":1},"meta":{"values":{"a":["bogus"]}}}')));
    const notMsgpack = errorOf(() => msgpackCodec.decode(Buffer.alloc(0)));
    expect(notJson.message).toMatch(/^json codec: .*not JSON/);
    expect(notOurs.message).toMatch(/^json codec: .*not written by this codec/);
    expect(broken.message).toMatch(/^json codec: .*metadata/);
    expect(notMsgpack.message).toMatch(/^msgpack codec: .*not MessagePack/);
    for (const error of [notJson, notOurs, broken, notMsgpack]) expect(error).toBeInstanceOf(CodecError);
    expect([notJson.codec, notOurs.codec, broken.codec, notMsgpack.codec]).toEqual(['json', 'json', 'json', 'msgpack']);
    expect(broken.cause).toBeInstanceOf(Error);
    expect(notMsgpack.cause).toBeInstanceOf(Error);
  });
});

describe('jsonCodec (superjson)', () => {
  it('refuses a Buffer, which superjson writes and then cannot read back, and says what to store instead', () => {
    expect(() => jsonCodec.encode({ avatar: Buffer.from('hi') })).toThrow(/value\.avatar is a Buffer.*new Uint8Array/);
  });

  it('raises a CodecError for JSON it did not write, such as "5" or {"id":1} (superjson.parse returns undefined)', () => {
    for (const text of ['5', '{"id":1}', '[]', 'null', '{}', '{"json":1,"other":2}']) {
      expect(() => jsonCodec.decode(Buffer.from(text))).toThrow(CodecError);
    }
  });

  it('writes text a person can read in redis-cli', () => {
    expect(jsonCodec.encode({ name: 'Ada' }).toString('utf8')).toContain('"name":"Ada"');
  });
});

describe('msgpackCodec (msgpackr)', () => {
  it('round-trips a Buffer as bytes', () => {
    const back = msgpackCodec.decode(msgpackCodec.encode({ avatar: Buffer.from('hi') })) as { avatar: Uint8Array };
    expect(Buffer.from(back.avatar).toString()).toBe('hi');
  });
});

describe('exact round trip, or a TypeError at write time', () => {
  it('jsonCodec keeps -0 (superjson writes it apart); msgpackCodec, which would read it back as 0, refuses it naming where', () => {
    expect(Object.is(jsonCodec.decode(jsonCodec.encode(-0)), -0)).toBe(true);
    expect(Object.is((jsonCodec.decode(jsonCodec.encode({ balance: [-0] })) as { balance: number[] }).balance[0], -0)).toBe(true);
    expect(() => msgpackCodec.encode({ balance: -0 })).toThrow(TypeError);
    expect(() => msgpackCodec.encode({ balance: -0 })).toThrow(/value\.balance is -0/);
    expect(Object.is(msgpackCodec.decode(msgpackCodec.encode(0)), 0)).toBe(true);
  });

  it.each([jsonCodec, msgpackCodec])('$name refuses an own "__proto__" key with a TypeError naming where (superjson would throw a plain Error, msgpackr rename it __proto_)', (codec) => {
    const value = { user: JSON.parse('{"__proto__":{"admin":true},"id":1}') as object };
    expect(() => codec.encode(value)).toThrow(TypeError);
    expect(() => codec.encode(value)).toThrow(/value\.user has an own "__proto__" key/);
    expect(() => codec.encode(new Map([['__proto__', 1]]))).not.toThrow(); // a Map key is only a key
  });
});

describe('bytes a codec never writes are a CodecError, never a value', () => {
  const foreign = {
    'MessagePack\'s reserved type byte 0xC1': [0xc1],
    '0xC1 inside an array': [0x92, 0x01, 0xc1],
    'a timestamp of 1 byte, which decodes to an invalid Date': [0xd4, 0xff, 0x00],
    'the float -0, which this codec never writes': [0xcb, 0x80, 0, 0, 0, 0, 0, 0, 0],
  };
  it.each(Object.entries(foreign))('msgpackCodec: %s', (_, bytes) => {
    expect(() => msgpackCodec.decode(Buffer.from(bytes))).toThrow(CodecError);
    expect(() => msgpackCodec.decode(Buffer.from(bytes))).toThrow(/msgpack codec: .*never writes/);
  });

  it('jsonCodec: superjson metadata for a type it never writes (a RegExp, an Error), or an own "__proto__" key', () => {
    for (const text of ['{"json":"/a/g","meta":{"values":["regexp"]}}', '{"json":{"name":"Error","message":"x"},"meta":{"values":["Error"]}}', '{"json":{"__proto__":{"a":1}}}']) {
      expect(() => jsonCodec.decode(Buffer.from(text)), text).toThrow(CodecError);
      expect(() => jsonCodec.decode(Buffer.from(text)), text).toThrow(/^json codec: /);
    }
  });
});

describe('a cache that holds bytes its codec never writes', () => {
  const ns = useRedis();

  it('reads them as a miss that heals: the loader is called and the key rewritten', async () => {
    await ns.redis.set(ns.key('user', 1), Buffer.from([0xc1]));
    const onError = vi.fn();
    const loader = vi.fn(async () => ({ id: 1 }));
    expect(await cached(ns.redis, ns.key('user', 1), loader, 60, { codec: msgpackCodec, onError })).toEqual({ id: 1 });
    expect(onError).toHaveBeenCalledWith(expect.any(CodecError), ns.key('user', 1));
    expect(msgpackCodec.decode((await ns.redis.getBuffer(ns.key('user', 1)))!)).toEqual({ id: 1 });
    expect(await cached(ns.redis, ns.key('user', 1), loader, 60, { codec: msgpackCodec, onError })).toEqual({ id: 1 });
    expect(loader).toHaveBeenCalledOnce();
  });
});
