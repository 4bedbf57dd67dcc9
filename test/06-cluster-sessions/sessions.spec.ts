import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Redis } from 'ioredis';
import { SessionStore, hashToken, type SessionStoreOptions } from '@kata/06-cluster-sessions/sessions.js';
import { jsonCodec } from '../../provided/codecs.js';
import { onCluster, useCluster, useRedis } from '../support/redis.js';
import { startRedisServer, withRedisServer, type ThrowawayRedis } from '../support/redis-server.js';

const ns = useRedis();
const shared = useCluster(ns);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const start = Date.UTC(2026, 0, 1, 9, 0, 0);
let now = start;
const clock = () => now;
afterEach(() => {
  now = start;
});

interface Cart {
  items: Map<string, number>;
  lastOrder: Date | null;
  credit: bigint;
}
const cart = (): Cart => ({ items: new Map([['lamp', 2]]), lastOrder: new Date(Date.UTC(2025, 11, 24, 18, 30)), credit: 12n });

const storeFor = (options: Partial<SessionStoreOptions> = {}, redis: ConstructorParameters<typeof SessionStore>[0] = ns.redis) =>
  new SessionStore<Cart>(redis, { prefix: ns.prefix, idleTimeoutMs: 30 * MINUTE, absoluteTimeoutMs: 8 * HOUR, now: clock, ...options });

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const sessionKey = (token: string) => `${ns.prefix}session:${sha256(token)}`;
const indexKey = (userId: string) => `${ns.prefix}user:${userId}:sessions`;

/** Every key under the test's prefix with its value (strings only), without KEYS. */
async function dump(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, keys] = await ns.redis.scan(cursor, 'MATCH', `${ns.prefix}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      // (ioredis-mock does not call a Buffer value a 'string')
      const isIndex = (await ns.redis.type(key)) === 'zset';
      out.set(key, isIndex ? (await ns.redis.zrange(key, 0, -1)).join(',') : ((await ns.redis.getBuffer(key)) ?? Buffer.alloc(0)).toString('latin1'));
    }
  } while (cursor !== '0');
  return out;
}

describe('SessionStore: tokens', () => {
  it('hands out 256-bit random tokens, base64url (the source\'s token_urlsafe(32) is right about that)', async () => {
    const store = storeFor();
    const tokens = await Promise.all([1, 2, 3].map(() => store.create('ada', cart())));
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
    expect(new Set(tokens).size).toBe(3);
  });

  it('keeps only the SHA-256 of a token in Redis: no key and no value holds the token itself', async () => {
    const token = await storeFor().create('ada', cart());
    const everything = await dump();
    expect([...everything.keys()]).toContain(sessionKey(token));
    for (const [key, value] of everything) {
      expect(key).not.toContain(token);
      expect(value).not.toContain(token);
    }
    expect(hashToken(token)).toBe(sha256(token));
  });

  it.each([
    ['an empty string', ''],
    ['a short token', 'abc'],
    ['a glob', '*'],
    ['a token with a character base64url does not use', `${'A'.repeat(42)}=`],
    ['a megabyte', 'A'.repeat(1_000_000)],
  ])('answers %s with null without asking Redis', async (_, token) => {
    const store = storeFor();
    const get = vi.spyOn(ns.redis, 'getBuffer');
    expect(await store.get(token)).toBeNull();
    expect(await store.rotate(token)).toBeNull();
    expect(await store.destroy(token)).toBe(false);
    expect(get).not.toHaveBeenCalled();
  });

  it('answers a token that is not a string (undefined from a missing cookie) with null', async () => {
    expect(await storeFor().get(undefined as unknown as string)).toBeNull();
  });
});

describe('SessionStore: data', () => {
  it('gives back the user and the data with their types: a Map, a Date and a BigInt stay what they were', async () => {
    const store = storeFor();
    const session = await store.get(await store.create('ada', cart()));
    expect(session?.userId).toBe('ada');
    expect(session?.data).toEqual(cart());
    expect(session?.data.lastOrder).toBeInstanceOf(Date);
  });

  it('dates the session with an explicit UTC instant (the source writes naive local time)', async () => {
    now = start + 1234;
    const store = storeFor();
    const session = await store.get(await store.create('ada', cart()));
    expect(session?.createdAt).toBeInstanceOf(Date);
    expect(session?.createdAt.getTime()).toBe(start + 1234);
    expect(session?.createdAt.toISOString()).toBe('2026-01-01T09:00:01.234Z');
  });

  it.each([0, '', false, null])('keeps falsy data such as %j (the source\'s `if cached:` would not)', async (data) => {
    const store = new SessionStore<unknown>(ns.redis, { prefix: ns.prefix, now: clock });
    const session = await store.get(await store.create('ada', data));
    expect(session).not.toBeNull();
    expect(session?.data).toBe(data);
  });

  it('refuses data no codec can store (a function) and data over maxBytes, before writing anything', async () => {
    const store = new SessionStore<unknown>(ns.redis, { prefix: ns.prefix, now: clock, maxBytes: 1_000 });
    await expect(store.create('ada', { onLogin: () => 1 })).rejects.toThrow(TypeError);
    await expect(store.create('ada', { blob: 'x'.repeat(2_000) })).rejects.toThrow(RangeError);
    expect((await dump()).size).toBe(0);
  });
});

describe('SessionStore: timeouts', () => {
  it('ends a session that is not used for idleTimeoutMs', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    now += 30 * MINUTE - 1;
    expect(await store.get(token)).not.toBeNull();
    now += 30 * MINUTE;
    expect(await store.get(token)).toBeNull();
  });

  it('slides the idle timeout on every use: used every 20 minutes, it lives past the first 30', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    for (let i = 0; i < 6; i++) {
      now += 20 * MINUTE;
      const session = await store.get(token);
      expect(session, `after ${20 * (i + 1)} minutes`).not.toBeNull();
      expect(session!.idleExpiresAt.getTime()).toBe(now + 30 * MINUTE);
    }
  });

  it('ends a session at its absolute lifetime however often it is used (the idle timeout never carries it further)', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    const session = await store.get(token);
    expect(session?.absoluteExpiresAt.getTime()).toBe(start + 8 * HOUR);
    while (now < start + 8 * HOUR - 20 * MINUTE) {
      now += 20 * MINUTE;
      expect(await store.get(token)).not.toBeNull();
    }
    expect((await store.get(token))!.idleExpiresAt.getTime()).toBe(start + 8 * HOUR); // capped
    now = start + 8 * HOUR;
    expect(await store.get(token)).toBeNull();
  });

  it('gives the Redis key a TTL that ends with the session: at most the idle timeout, at most what is left of the lifetime', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    const ttl = await ns.redis.pttl(sessionKey(token));
    expect(ttl).toBeGreaterThan(29 * MINUTE);
    expect(ttl).toBeLessThanOrEqual(30 * MINUTE);

    const long = storeFor({ idleTimeoutMs: 8 * HOUR }); // idle as long as the lifetime
    const late = await long.create('bob', cart());
    now += 7 * HOUR + 50 * MINUTE;
    await long.get(late);
    const left = await ns.redis.pttl(sessionKey(late));
    expect(left).toBeGreaterThan(9 * MINUTE);
    expect(left).toBeLessThanOrEqual(10 * MINUTE);
  });

  it('does not bring a session back to life when it is revoked while get() slides its timeout', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    const racing = raceAfterFirst(['get', 'getBuffer'], ns.redis, () => store.revokeAll('ada'));
    await storeFor({}, racing).get(token);
    expect(await ns.redis.exists(sessionKey(token))).toBe(0);
    expect(await store.get(token)).toBeNull();
  });

  it('removes an expired session from Redis when it is read', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    now += 31 * MINUTE;
    await store.get(token);
    expect(await ns.redis.exists(sessionKey(token))).toBe(0);
  });
});

describe('SessionStore: rotate (session fixation)', () => {
  it('gives a new token to the same session, and the old token is dead at once', async () => {
    const store = storeFor();
    const old = await store.create('ada', cart());
    now += 5 * MINUTE;
    const fresh = await store.rotate(old);
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fresh).not.toBe(old);
    expect(await store.get(old)).toBeNull();
    const session = await store.get(fresh!);
    expect(session?.userId).toBe('ada');
    expect(session?.data).toEqual(cart());
    expect(session?.createdAt.getTime()).toBe(start);
  });

  it('does not extend the absolute lifetime: rotating is no way to live forever', async () => {
    const store = storeFor();
    let token = (await store.create('ada', cart()))!;
    for (let i = 0; i < 30; i++) {
      now += 20 * MINUTE;
      token = (await store.rotate(token)) ?? token;
    }
    expect(await store.get(token)).toBeNull();
  });

  it('answers null for a token with no live session', async () => {
    const store = storeFor();
    expect(await store.rotate('A'.repeat(43))).toBeNull();
    const token = await store.create('ada', cart());
    now += 31 * MINUTE;
    expect(await store.rotate(token)).toBeNull();
  });

  it('lets only one of two simultaneous rotations of a token win: a session never forks into two', async () => {
    const store = storeFor();
    const old = await store.create('ada', cart());
    const results = await Promise.all([store.rotate(old), store.rotate(old)]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await store.revokeAll('ada')).toBe(1);
  });

  it('a rotation that loses the race to "log out everywhere" leaves no session behind', async () => {
    const store = storeFor();
    const old = await store.create('ada', cart());
    // revokeAll lands just after rotate has read the old session, before anything else it sends.
    const racing = raceAfterFirst(['get', 'getBuffer'], ns.redis, () => store.revokeAll('ada'));
    const fresh = await storeFor({}, racing).rotate(old);
    if (fresh !== null) expect(await store.get(fresh)).toBeNull();
    expect(await store.get(old)).toBeNull();
    expect(await store.revokeAll('ada')).toBe(0);
  });
});

/** The client, except that `meanwhile` runs (once) right after the first of `commands` answers, before the next command goes out. */
function raceAfterFirst(commands: string[], redis: Redis, meanwhile: () => Promise<unknown>): Redis {
  let state: 'waiting' | 'armed' | 'done' = 'waiting';
  const fire = async () => {
    if (state !== 'armed') return;
    state = 'done';
    await meanwhile();
  };
  return new Proxy(redis, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = (value as (...a: unknown[]) => unknown).bind(target);
      if (commands.includes(String(property))) {
        return async (...args: unknown[]) => {
          const answer = await method(...args);
          if (state === 'waiting') state = 'armed';
          return answer;
        };
      }
      if (property === 'multi' || property === 'pipeline') {
        // These are built synchronously; hold back their exec instead.
        return (...args: unknown[]) => {
          const batch = method(...args) as { exec: (...a: unknown[]) => Promise<unknown> };
          const exec = batch.exec.bind(batch);
          batch.exec = async (...a: unknown[]) => (await fire(), exec(...a));
          return batch;
        };
      }
      return async (...args: unknown[]) => (await fire(), method(...args));
    },
  });
}

describe('SessionStore: destroy and revokeAll', () => {
  it('destroy ends one session (logout) and says whether there was one', async () => {
    const store = storeFor();
    const a = await store.create('ada', cart());
    const b = await store.create('ada', cart());
    expect(await store.destroy(a)).toBe(true);
    expect(await store.destroy(a)).toBe(false);
    expect(await store.get(a)).toBeNull();
    expect(await store.get(b)).not.toBeNull();
    expect(await ns.redis.zcard(indexKey('ada'))).toBe(1);
  });

  it('revokeAll logs a user out everywhere, and nobody else', async () => {
    const store = storeFor();
    const ada = await Promise.all([1, 2, 3].map(() => store.create('ada', cart())));
    const bob = await store.create('bob', cart());
    expect(await store.revokeAll('ada')).toBe(3);
    for (const token of ada) expect(await store.get(token)).toBeNull();
    expect(await store.get(bob)).not.toBeNull();
    expect(await store.revokeAll('ada')).toBe(0);
  });

  it('keeps a login that lands during revokeAll in the index, so the next revokeAll still finds it', async () => {
    const store = storeFor();
    await store.create('ada', cart());
    let late = '';
    const racing = raceAfterFirst(['zrange'], ns.redis, async () => (late = await store.create('ada', cart())));
    expect(await storeFor({}, racing).revokeAll('ada')).toBe(1);
    expect(await store.get(late)).not.toBeNull(); // it began after the logout
    expect(await store.revokeAll('ada')).toBe(1);
    expect(await store.get(late)).toBeNull();
  });

  it('revokeAll also reaches sessions that were rotated', async () => {
    const store = storeFor();
    const rotated = await store.rotate(await store.create('ada', cart()));
    expect(await store.revokeAll('ada')).toBe(1);
    expect(await store.get(rotated!)).toBeNull();
  });

  it('takes glob characters in a user id literally: revoking user "*" is not revoking everyone', async () => {
    const store = storeFor();
    const star = await store.create('*', cart());
    const ada = await store.create('ada', cart());
    expect(await store.revokeAll('*')).toBe(1);
    expect(await store.get(star)).toBeNull();
    expect(await store.get(ada)).not.toBeNull();
  });

  it('keeps the per-user index bounded: sessions past their lifetime leave it on the next login', async () => {
    const store = storeFor();
    for (let i = 0; i < 50; i++) await store.create('ada', cart());
    expect(await ns.redis.zcard(indexKey('ada'))).toBe(50);
    now += 8 * HOUR;
    await store.create('ada', cart());
    expect(await ns.redis.zcard(indexKey('ada'))).toBe(1);
  });

  it('gives the index a TTL that lasts as long as its longest-lived session, whatever order sessions are rotated in', async () => {
    const store = storeFor({ idleTimeoutMs: 8 * HOUR });
    const early = await store.create('ada', cart());
    now += 4 * HOUR;
    await store.create('ada', cart()); // lives until start + 12 h
    now += 1 * HOUR;
    expect(await store.rotate(early)).not.toBeNull(); // an older session: its lifetime ends at start + 8 h
    const ttl = await ns.redis.pttl(indexKey('ada'));
    expect(ttl).toBeGreaterThan(6 * HOUR);
    expect(ttl).toBeLessThanOrEqual(7 * HOUR);
  });
});

describe('SessionStore: garbage and bad input', () => {
  it.each([
    ['bytes that are not JSON', '\x00\xff garbage'],
    ['JSON the codec did not write', '{"userId":"ada","data":1}'],
    ['a codec envelope that is not a session', '{"json":{"userId":42}}'],
    ['a session with its times missing', '{"json":{"userId":"ada","data":1,"createdAt":1}}'],
  ])('treats %s at a session key as a miss, never a crash, and removes it', async (_, value) => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    await ns.redis.set(sessionKey(token), value, 'EX', 60);
    expect(await store.get(token)).toBeNull();
    expect(await ns.redis.exists(sessionKey(token))).toBe(0);
  });

  it('treats a key of another type (a list where the session should be) as a miss', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    await ns.redis.unlink(sessionKey(token));
    await ns.redis.rpush(sessionKey(token), 'x');
    expect(await store.get(token)).toBeNull();
    expect(await ns.redis.exists(sessionKey(token))).toBe(0);
  });

  it.each([
    ['idleTimeoutMs', { idleTimeoutMs: Number.NaN }],
    ['idleTimeoutMs', { idleTimeoutMs: 0 }],
    ['idleTimeoutMs', { idleTimeoutMs: 1.5 }],
    ['absoluteTimeoutMs', { absoluteTimeoutMs: Infinity }],
    ['absoluteTimeoutMs', { absoluteTimeoutMs: -1 }],
    ['absoluteTimeoutMs past a year (the expiry dates would stop being exact)', { idleTimeoutMs: 1, absoluteTimeoutMs: Number.MAX_SAFE_INTEGER }],
    ['idle longer than absolute', { idleTimeoutMs: 2 * HOUR, absoluteTimeoutMs: HOUR }],
    ['maxBytes', { maxBytes: Number.NaN }],
  ])('refuses a bad %s with a RangeError when the store is made', (_, options) => {
    expect(() => storeFor(options)).toThrow(RangeError);
  });

  it('refuses a clock that says NaN, instead of writing a session that never expires', async () => {
    await expect(storeFor({ now: () => Number.NaN }).create('ada', cart())).rejects.toThrow(RangeError);
    expect((await dump()).size).toBe(0);
  });

  it.each([
    ['an empty user id', ''],
    ['a user id that is not a string', 42],
    ['a 300-character user id', 'u'.repeat(300)],
  ])('refuses %s with a TypeError and writes nothing', async (_, userId) => {
    const store = storeFor();
    await expect(store.create(userId as string, cart())).rejects.toThrow(TypeError);
    await expect(store.revokeAll(userId as string)).rejects.toThrow(TypeError);
    expect((await dump()).size).toBe(0);
  });
});

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
    await expect(store.create('', cart())).rejects.toThrow(/user id.*got ""/);
    await expect(store.create(undefined as unknown as string, cart())).rejects.toThrow(/got undefined/);
  });

  it('accepts a session of exactly maxBytes, refuses one byte more, and says how big it was', async () => {
    let size = 0;
    const measuring = { ...jsonCodec, encode: (value: unknown) => ((size = jsonCodec.encode(value).length), jsonCodec.encode(value)) };
    await storeFor({ codec: measuring }).create('ada', cart());
    await expect(storeFor({ maxBytes: size }).create('ada', cart())).resolves.toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect(storeFor({ maxBytes: size - 1 }).create('ada', cart())).rejects.toThrow(
      new RegExp(`user ada is ${size} bytes, over maxBytes \\(${size - 1}\\)`),
    );
  });

  it('refuses a clock before the epoch, naming what it returned, and accepts the epoch itself', async () => {
    await expect(storeFor({ now: () => -1 }).create('ada', cart())).rejects.toThrow(/now\(\).*got -1/);
    await expect(storeFor({ now: () => 0 }).create('ada', cart())).resolves.toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('ends a session at the very millisecond its idle timeout runs out', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    now += 30 * MINUTE;
    expect(await store.get(token)).toBeNull();
  });

  it('ends a session at its absolute expiry even when the stored idle expiry says later (written by a store with other timeouts)', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    const planted = { userId: 'ada', data: 1, createdAt: start, idleExpiresAt: start + 2 * HOUR, absoluteExpiresAt: start + HOUR };
    await ns.redis.set(sessionKey(token), jsonCodec.encode(planted), 'EX', 60);
    now = start + HOUR;
    expect(await store.get(token)).toBeNull();
  });

  it('answers null, without asking Redis, for a token one character too long or with a character before it', async () => {
    const store = storeFor();
    const get = vi.spyOn(ns.redis, 'getBuffer');
    for (const token of ['A'.repeat(44), `.${'A'.repeat(43)}`, `${'A'.repeat(43)}.`]) {
      expect(await store.get(token), token).toBeNull();
      expect(await store.destroy(token), token).toBe(false);
    }
    expect(get).not.toHaveBeenCalled();
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
    await ns.redis.set(sessionKey(token), jsonCodec.encode(planted), 'EX', 60);
    expect(await store.get(token)).toBeNull();
    expect(await ns.redis.exists(sessionKey(token))).toBe(0);
  });

  it('keeps a planted session that has every part (so the checks above are about the part each one lacks)', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    const planted = { userId: 'ada', data: null, createdAt: start, idleExpiresAt: start + HOUR, absoluteExpiresAt: start + HOUR };
    await ns.redis.set(sessionKey(token), jsonCodec.encode(planted), 'EX', 60);
    expect((await store.get(token))?.data).toBeNull();
  });

  it('destroy removes a foreign value at a session key and says there was no session', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    await ns.redis.set(sessionKey(token), 'not a session', 'EX', 60);
    expect(await store.destroy(token)).toBe(false);
    expect(await ns.redis.exists(sessionKey(token))).toBe(0);
  });

  it('takes the old token out of the user\'s index on rotate, and an expired one when it is read', async () => {
    const store = storeFor();
    const old = await store.create('ada', cart());
    const fresh = (await store.rotate(old))!;
    expect(await ns.redis.zrange(indexKey('ada'), 0, -1)).toEqual([sha256(fresh)]);
    now += 31 * MINUTE;
    expect(await store.get(fresh)).toBeNull();
    expect(await ns.redis.zcard(indexKey('ada'))).toBe(0);
  });

  it('gives a rotated token the idle timeout again, not the whole rest of the lifetime', async () => {
    const store = storeFor();
    const fresh = (await store.rotate(await store.create('ada', cart())))!;
    expect(await ns.redis.pttl(sessionKey(fresh))).toBeLessThanOrEqual(30 * MINUTE);
    now += 30 * MINUTE;
    expect(await store.get(fresh)).toBeNull();
  });

  it('costs one read and no write for a token with no session, and destroy sends nothing for a malformed token', async () => {
    const store = storeFor();
    const unlink = vi.spyOn(ns.redis, 'unlink');
    const multi = vi.spyOn(ns.redis, 'multi');
    expect(await store.get('A'.repeat(43))).toBeNull();
    expect(await store.destroy('A'.repeat(43))).toBe(false);
    expect(unlink).not.toHaveBeenCalled();
    expect(await store.destroy('abc')).toBe(false);
    expect(multi).toHaveBeenCalledTimes(1);
  });

  it('revokeAll of a user with no sessions sends no ZREM (Redis refuses one with no members)', async () => {
    const zrem = vi.spyOn(ns.redis, 'zrem');
    expect(await storeFor().revokeAll('nobody')).toBe(0);
    expect(zrem).not.toHaveBeenCalled();
  });

  it.each([
    ['the read', [[new Error('GET failed'), null], [null, 1]], /GET failed/],
    ['the unlink', [[null, Buffer.from('x')], [new Error('UNLINK failed'), null]], /UNLINK failed/],
  ])('destroy lets an error in %s inside its MULTI reach the caller', async (_, replies, message) => {
    const token = await storeFor().create('ada', cart());
    const failing = new Proxy(ns.redis, {
      get: (target, property) =>
        property === 'multi'
          ? () => {
              const batch = { getBuffer: () => batch, unlink: () => batch, exec: async () => replies };
              return batch;
            }
          : Reflect.get(target, property, target),
    });
    await expect(storeFor({}, failing).destroy(token)).rejects.toThrow(message);
  });

  it('answers null for a token that only looks like one once turned into a string (a repeated cookie parsed as an array)', async () => {
    const token = await storeFor().create('ada', cart());
    expect(await storeFor().get([token] as unknown as string)).toBeNull();
  });

  it('names a user id that JSON cannot show (a Symbol) when it refuses it', async () => {
    await expect(storeFor().create(Symbol('ada') as unknown as string, cart())).rejects.toThrow(/got Symbol\(ada\)/);
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

describe('SessionStore on the real cluster', () => {
  onCluster()('creates, reads, rotates and revokes sessions whose keys live in many slots, without CROSSSLOT', async () => {
    const store = storeFor({}, shared.cluster);
    const tokens = await Promise.all(Array.from({ length: 12 }, () => store.create('ada', cart())));
    const slots = await Promise.all(tokens.map((t) => shared.cluster.call('CLUSTER', 'KEYSLOT', sessionKey(t))));
    expect(new Set(slots).size).toBeGreaterThan(6);
    expect((await store.get(tokens[0]!))?.data).toEqual(cart());
    const rotated = await store.rotate(tokens[1]!);
    expect(await store.get(tokens[1]!)).toBeNull();
    expect(await store.revokeAll('ada')).toBe(12);
    expect(await store.get(rotated!)).toBeNull();
    expect(await store.get(tokens[2]!)).toBeNull();
  });
});
