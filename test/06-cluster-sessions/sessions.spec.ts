import { describe, expect, it, vi } from 'vitest';
import { SessionStore, hashToken } from '@kata/06-cluster-sessions/sessions.js';
import { useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';
import { HOUR, MINUTE, TOKEN, cart, clock, dump, sessionKey, sha256, start, storesOf, time, type Cart } from './session-helpers.js';

const ns = useRedis();
const storeFor = storesOf(SessionStore<Cart>, ns);

describe('SessionStore: tokens', () => {
  it('hands out 256-bit random tokens, base64url (the source\'s token_urlsafe(32) is right about that)', async () => {
    const store = storeFor();
    const tokens = await Promise.all([1, 2, 3].map(() => store.create('ada', cart())));
    for (const token of tokens) {
      expect(token).toMatch(TOKEN);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
    expect(new Set(tokens).size).toBe(3);
  });

  it('keeps only the SHA-256 of a token in Redis: no key and no value holds the token itself', async () => {
    const token = await storeFor().create('ada', cart());
    const everything = await dump(ns);
    expect([...everything.keys()]).toContain(sessionKey(ns, token));
    for (const [key, value] of everything) {
      expect(key).not.toContain(token);
      expect(value).not.toContain(token);
    }
    expect(hashToken(token)).toBe(sha256(token));
  });

  it('answers what cannot be a token (empty, short, a glob, a character base64url does not use, a megabyte) with null without asking Redis', async () => {
    const store = storeFor();
    const get = vi.spyOn(ns.redis, 'getBuffer');
    const plainGet = vi.spyOn(ns.redis, 'get');
    for (const token of ['', 'abc', '*', `${'A'.repeat(42)}=`, 'A'.repeat(1_000_000)]) {
      expect(await store.get(token), token.slice(0, 50)).toBeNull();
    }
    expect(get).not.toHaveBeenCalled();
    expect(plainGet).not.toHaveBeenCalled();
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
    time.now = start + 1234;
    const store = storeFor();
    const session = await store.get(await store.create('ada', cart()));
    expect(session?.createdAt).toBeInstanceOf(Date);
    expect(session?.createdAt.getTime()).toBe(start + 1234);
    expect(session?.createdAt.toISOString()).toBe('2026-01-01T09:00:01.234Z');
  });

  it('keeps falsy data: 0, \'\', false and null (the source\'s `if cached:` would not)', async () => {
    const store = new SessionStore<unknown>(ns.redis, { prefix: ns.prefix, now: clock });
    for (const data of [0, '', false, null]) {
      const session = await store.get(await store.create('ada', data));
      expect(session, String(data)).not.toBeNull();
      expect(session?.data).toBe(data);
    }
  });

  it('refuses data no codec can store (a function) and data over maxBytes, before writing anything', async () => {
    const store = new SessionStore<unknown>(ns.redis, { prefix: ns.prefix, now: clock, maxBytes: 1_000 });
    await expectRefusal(() => store.create('ada', { onLogin: () => 1 }), TypeError, 'data');
    await expectRefusal(() => store.create('ada', { blob: 'x'.repeat(2_000) }), RangeError, 'maxBytes');
    expect((await dump(ns)).size).toBe(0);
  });
});

describe('SessionStore: timeouts', () => {
  it('ends a session that is not used for idleTimeoutMs', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    time.now += 30 * MINUTE - 1;
    expect(await store.get(token)).not.toBeNull();
    time.now += 30 * MINUTE;
    expect(await store.get(token)).toBeNull();
  });

  it('ends a session at its absolute lifetime, with the times it reports', async () => {
    const store = storeFor({ idleTimeoutMs: 8 * HOUR });
    const token = await store.create('ada', cart());
    const session = await store.get(token);
    expect(session?.absoluteExpiresAt.getTime()).toBe(start + 8 * HOUR);
    expect(session?.idleExpiresAt.getTime()).toBe(start + 8 * HOUR);
    time.now = start + 8 * HOUR - 1;
    expect(await store.get(token)).not.toBeNull();
    time.now = start + 8 * HOUR;
    expect(await store.get(token)).toBeNull();
  });

  it('gives the Redis key a TTL that ends with the session (at most the idle timeout)', async () => {
    const token = await storeFor().create('ada', cart());
    const ttl = await ns.redis.pttl(sessionKey(ns, token));
    expect(ttl).toBeGreaterThan(29 * MINUTE);
    expect(ttl).toBeLessThanOrEqual(30 * MINUTE);
  });

  it('removes an expired session from Redis when it is read', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    time.now += 31 * MINUTE;
    await store.get(token);
    expect(await ns.redis.exists(sessionKey(ns, token))).toBe(0);
  });
});

describe('SessionStore: garbage and bad input', () => {
  it('treats garbage at a session key (not JSON, JSON the codec did not write, no session, no times) as a miss, never a crash, and removes it', async () => {
    const store = storeFor();
    for (const value of ['\x00\xff garbage', '{"userId":"ada","data":1}', '{"json":{"userId":42}}', '{"json":{"userId":"ada","data":1,"createdAt":1}}']) {
      const token = await store.create('ada', cart());
      await ns.redis.set(sessionKey(ns, token), value, 'EX', 60);
      expect(await store.get(token), value).toBeNull();
      expect(await ns.redis.exists(sessionKey(ns, token))).toBe(0);
    }
  });

  it('refuses a bad option with a RangeError that names it, when the store is made', async () => {
    for (const [name, options] of [
      ['idleTimeoutMs', { idleTimeoutMs: Number.NaN }],
      ['idleTimeoutMs', { idleTimeoutMs: 0 }],
      ['idleTimeoutMs', { idleTimeoutMs: 1.5 }],
      ['absoluteTimeoutMs', { absoluteTimeoutMs: Infinity }],
      ['absoluteTimeoutMs', { absoluteTimeoutMs: -1 }],
      ['absoluteTimeoutMs', { idleTimeoutMs: 1, absoluteTimeoutMs: Number.MAX_SAFE_INTEGER }], // past a year: the dates would stop being exact
      ['idleTimeoutMs', { idleTimeoutMs: 2 * HOUR, absoluteTimeoutMs: HOUR }], // idle longer than the lifetime
      ['maxBytes', { maxBytes: Number.NaN }],
    ] as const) {
      await expectRefusal(() => storeFor(options), RangeError, name);
    }
  });

  it('refuses a user id that is empty, not a string or over 256 characters with a TypeError naming userId, and writes nothing', async () => {
    for (const userId of ['', 42, 'u'.repeat(300)]) {
      await expectRefusal(() => storeFor().create(userId as string, cart()), TypeError, 'userId');
    }
    expect((await dump(ns)).size).toBe(0);
  });
});
