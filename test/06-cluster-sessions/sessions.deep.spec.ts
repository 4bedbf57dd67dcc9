import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { SessionStore } from '@kata/06-cluster-sessions/sessions.js';
import { jsonCodec } from '../../provided/codecs.js';
import { useRedis } from '../support/redis.js';
import { startRedisServer, withRedisServer, type ThrowawayRedis } from '../support/redis-server.js';
import { HOUR, MINUTE, TOKEN, cart, clock, dump, sessionKey, start, storesOf, time, type Cart } from './session-helpers.js';

const ns = useRedis();
const storeFor = storesOf(SessionStore<Cart>, ns);

describe('SessionStore: edges a learner could get wrong', () => {
  const YEAR = 366 * 24 * HOUR;

  it('accepts the edges of its options: 1 ms, a lifetime of exactly a year, idle as long as the lifetime, maxBytes up to 512 MiB', () => {
    expect(() => storeFor({ idleTimeoutMs: 1, absoluteTimeoutMs: 1 })).not.toThrow();
    expect(() => storeFor({ absoluteTimeoutMs: YEAR })).not.toThrow();
    expect(() => storeFor({ idleTimeoutMs: YEAR, absoluteTimeoutMs: YEAR })).not.toThrow();
    expect(() => storeFor({ maxBytes: 1 })).not.toThrow();
    expect(() => storeFor({ maxBytes: 512 * 1024 * 1024 })).not.toThrow();
  });

  it('refuses one past the edges, naming the option and the bad value', () => {
    expect(() => storeFor({ absoluteTimeoutMs: YEAR + 1 })).toThrow(/absoluteTimeoutMs.*1 to 31622400000.*31622400001/);
    expect(() => storeFor({ idleTimeoutMs: 0 })).toThrow(/idleTimeoutMs.*got 0/);
    expect(() => storeFor({ maxBytes: 512 * 1024 * 1024 + 1 })).toThrow(/maxBytes.*got 536870913/);
    expect(() => storeFor({ idleTimeoutMs: 2 * HOUR, absoluteTimeoutMs: HOUR })).toThrow(/idleTimeoutMs \(7200000\).*absoluteTimeoutMs \(3600000\)/);
  });

  it('refuses a prefix that is not a string with a TypeError', () => {
    expect(() => storeFor({ prefix: undefined as unknown as string })).toThrow(new TypeError('SessionStore: prefix must be a string'));
  });

  it('accepts a user id of exactly 256 characters, and names the bad id when it refuses one', async () => {
    const store = storeFor();
    const token = await store.create('u'.repeat(256), cart());
    expect((await store.get(token))?.userId).toBe('u'.repeat(256));
    await expect(store.create('', cart())).rejects.toThrow(/userId.*got ""/);
    await expect(store.create(undefined as unknown as string, cart())).rejects.toThrow(/got undefined/);
  });

  it('names a user id that JSON cannot show (a Symbol) when it refuses it', async () => {
    await expect(storeFor().create(Symbol('ada') as unknown as string, cart())).rejects.toThrow(/got Symbol\(ada\)/);
  });

  it('accepts a session of exactly maxBytes, refuses one byte more, and says how big it was', async () => {
    let size = 0;
    const measuring = { ...jsonCodec, encode: (value: unknown) => ((size = jsonCodec.encode(value).length), jsonCodec.encode(value)) };
    await storeFor({ codec: measuring }).create('ada', cart());
    await expect(storeFor({ maxBytes: size }).create('ada', cart())).resolves.toMatch(TOKEN);
    await expect(storeFor({ maxBytes: size - 1 }).create('ada', cart())).rejects.toThrow(
      new RegExp(`user ada is ${size} bytes, over maxBytes \\(${size - 1}\\)`),
    );
  });

  it('refuses a clock that says NaN, instead of writing a session that never expires', async () => {
    await expect(storeFor({ now: () => Number.NaN }).create('ada', cart())).rejects.toThrow(RangeError);
    expect((await dump(ns)).size).toBe(0);
  });

  it('refuses a clock before the epoch, naming what it returned, and accepts the epoch itself', async () => {
    await expect(storeFor({ now: () => -1 }).create('ada', cart())).rejects.toThrow(/now\(\).*got -1/);
    await expect(storeFor({ now: () => 0 }).create('ada', cart())).resolves.toMatch(TOKEN);
  });

  it('ends a session at the very millisecond its idle timeout runs out', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    time.now += 30 * MINUTE;
    expect(await store.get(token)).toBeNull();
  });

  it('ends a session at its absolute expiry even when the stored idle expiry says later (written by a store with other timeouts)', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    const planted = { userId: 'ada', data: 1, createdAt: start, idleExpiresAt: start + 2 * HOUR, absoluteExpiresAt: start + HOUR };
    await ns.redis.set(sessionKey(ns, token), jsonCodec.encode(planted), 'EX', 60);
    time.now = start + HOUR;
    expect(await store.get(token)).toBeNull();
  });

  it.each([
    ['an empty user id', { userId: '', data: 1, createdAt: start, idleExpiresAt: start + HOUR, absoluteExpiresAt: start + HOUR }],
    ['a user id that is not a string', { userId: 7, data: 1, createdAt: start, idleExpiresAt: start + HOUR, absoluteExpiresAt: start + HOUR }],
    ['no data at all', { userId: 'ada', createdAt: start, idleExpiresAt: start + HOUR, absoluteExpiresAt: start + HOUR }],
    ['a time that is not a whole number', { userId: 'ada', data: 1, createdAt: start, idleExpiresAt: start + 0.5, absoluteExpiresAt: start + HOUR }],
    ['a number instead of an object', 42],
    ['a string instead of an object', 'ada'],
    ['nothing (undefined)', undefined],
    ['null', null],
  ])('treats a codec-written value with %s as a miss, and removes it', async (_, planted) => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    await ns.redis.set(sessionKey(ns, token), jsonCodec.encode(planted), 'EX', 60);
    expect(await store.get(token)).toBeNull();
    expect(await ns.redis.exists(sessionKey(ns, token))).toBe(0);
  });

  it('keeps a planted session that has every part (so the checks above are about the part each one lacks)', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    const planted = { userId: 'ada', data: null, createdAt: start, idleExpiresAt: start + HOUR, absoluteExpiresAt: start + HOUR };
    await ns.redis.set(sessionKey(ns, token), jsonCodec.encode(planted), 'EX', 60);
    expect((await store.get(token))?.data).toBeNull();
  });

  it('answers null for a token that only looks like one once turned into a string (a repeated cookie parsed as an array)', async () => {
    const token = await storeFor().create('ada', cart());
    expect(await storeFor().get([token] as unknown as string)).toBeNull();
  });

  it('answers null, without asking Redis, for a token one character too long or with a character before or after it', async () => {
    const store = storeFor();
    for (const token of ['A'.repeat(44), `.${'A'.repeat(43)}`, `${'A'.repeat(43)}.`]) expect(await store.get(token), token).toBeNull();
  });
});

describe('SessionStore: a key of another type under a session key (a miss that heals)', () => {
  it('treats a list where the session should be as a miss, and removes it', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    await ns.redis.unlink(sessionKey(ns, token));
    await ns.redis.rpush(sessionKey(ns, token), 'x');
    expect(await store.get(token)).toBeNull();
    expect(await ns.redis.exists(sessionKey(ns, token))).toBe(0);
  });

  it.each([
    ['a hash', (key: string) => ns.redis.hset(key, 'userId', 'ada')],
    ['a sorted set', (key: string) => ns.redis.zadd(key, 1, 'ada')],
    ['a set', (key: string) => ns.redis.sadd(key, 'ada')],
  ])('treats %s there as a miss too, and removes it', async (_, plant) => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    await ns.redis.unlink(sessionKey(ns, token));
    await plant(sessionKey(ns, token));
    expect(await store.get(token)).toBeNull();
    expect(await ns.redis.exists(sessionKey(ns, token))).toBe(0);
  });

  it('reads a key of another type as a miss (WRONGTYPE), but lets any other Redis error reach the caller', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    const failing = (message: string) =>
      new Proxy(ns.redis, {
        get: (target, property) =>
          property === 'getBuffer' ? async () => Promise.reject(new Error(message)) : Reflect.get(target, property, target),
      });
    expect(await storeFor({}, failing('WRONGTYPE Operation against a key holding the wrong kind of value')).get(token)).toBeNull();
    await expect(storeFor({}, failing('LOADING Redis is loading the dataset in memory')).get(token)).rejects.toThrow(/LOADING/);
  });
});

describe('SessionStore: what comes back is what went in, or it is refused when it is written', () => {
  const objectWith = (key: string, value: unknown) => Object.defineProperty({}, key, { value, enumerable: true, configurable: true, writable: true });

  it.each([
    ['an own __proto__ key', objectWith('__proto__', 1)],
    ['a class instance, which would come back a plain object', new (class Point { x = 1 })()],
    ['a null-prototype object, which would come back a plain one', Object.assign(Object.create(null) as object, { k: 1 })],
  ])('refuses data with %s with a TypeError, before writing anything', async (_, data) => {
    const store = new SessionStore<unknown>(ns.redis, { prefix: ns.prefix, now: clock });
    await expect(store.create('ada', data)).rejects.toThrow(TypeError);
    expect((await dump(ns)).size).toBe(0);
  });

  it.each([
    ['undefined', undefined],
    ['nested undefined, NaN and Infinity', { a: undefined, b: Number.NaN, c: -Infinity }],
    ['a Set, a Date and a BigInt', { s: new Set([1, 'a']), d: new Date(0), n: -(2n ** 70n) }],
    ['-0, which plain JSON would write as 0', -0],
    ['a -0 inside a Map', new Map([['balance', -0]])],
    ['unicode keys and values', { 'ключ': '🙂', '': 'empty key' }],
  ])('gives back %s exactly', async (_, data) => {
    const store = new SessionStore<unknown>(ns.redis, { prefix: ns.prefix, now: clock });
    const session = await store.get(await store.create('ada', data));
    expect(session).not.toBeNull();
    expect(session?.data).toStrictEqual(data);
  });
});

describe('SessionStore: callbacks that throw', () => {
  it('fails create when the clock throws, and writes nothing', async () => {
    const store = storeFor({ now: () => { throw new Error('clock broke'); } });
    await expect(store.create('ada', cart())).rejects.toThrow(/clock broke/);
    expect((await dump(ns)).size).toBe(0);
  });

  it('fails create when the codec throws, and writes nothing', async () => {
    const codec = { ...jsonCodec, encode: () => { throw new Error('codec broke'); } };
    await expect(storeFor({ codec }).create('ada', cart())).rejects.toThrow(/codec broke/);
    expect((await dump(ns)).size).toBe(0);
  });

  it('reads a session its codec cannot decode, whatever it throws, as a miss, and removes it', async () => {
    const token = await storeFor().create('ada', cart());
    const codec = { ...jsonCodec, decode: () => { throw new TypeError('codec broke'); } };
    expect(await storeFor({ codec }).get(token)).toBeNull();
    expect(await ns.redis.exists(sessionKey(ns, token))).toBe(0);
  });

  it('fails get when the clock throws, and leaves the session as it was', async () => {
    const token = await storeFor().create('ada', cart());
    const broken = storeFor({ now: () => { throw new Error('clock broke'); } });
    await expect(broken.get(token)).rejects.toThrow(/clock broke/);
    expect(await storeFor().get(token)).not.toBeNull();
  });
});

describe('SessionStore when Redis is down', () => {
  let server: ThrowawayRedis | undefined;
  let redis: Redis | undefined;
  afterEach(async () => {
    redis?.disconnect();
    await server?.kill();
  });

  withRedisServer()('rejects get() (the app can answer 503) instead of answering "no session" or hanging', async () => {
    server = await startRedisServer();
    redis = new Redis(server.url, { commandTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => {});
    const store = storeFor({}, redis);
    const token = await store.create('ada', cart());
    await server.kill();
    await expect(store.get(token)).rejects.toThrow();
  });
});
