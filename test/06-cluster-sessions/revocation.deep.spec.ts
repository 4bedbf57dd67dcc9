import { describe, expect, it, vi } from 'vitest';
import { RevocableSessionStore } from '@kata/06-cluster-sessions/revocation.js';
import { jsonCodec } from '../../provided/codecs.js';
import { useRedis } from '../support/redis.js';
import { HOUR, cart, dump, indexKey, raceAfter, sessionKey, sha256, storesOf, type Cart } from './session-helpers.js';

const ns = useRedis();
const storeFor = storesOf(RevocableSessionStore<Cart>, ns);

describe('RevocableSessionStore: "log out everywhere" wins over logins in flight', () => {
  it('a revokeAll between create\'s index write and its session write leaves that session dead, not live and unindexed', async () => {
    const store = storeFor();
    let revoked = -1;
    // The race of the issue: revokeAll lands after the ZADD (the index script), before the SET.
    const racing = raceAfter(['eval'], ns.redis, async () => (revoked = await store.revokeAll('ada')));
    const token = await storeFor({}, racing).create('ada', cart());
    expect(revoked).toBe(0); // the session key was not written yet
    expect(await store.get(token)).toBeNull();
    expect(await ns.redis.exists(sessionKey(ns, token))).toBe(0); // and the leftover is removed when read
    expect(await ns.redis.zcard(indexKey(ns, 'ada'))).toBe(0);
  });

  it('a revokeAll after create\'s first write, whichever write comes first, ends that login (index first: SET first would let the ZADD revive it)', async () => {
    const store = storeFor();
    const racing = raceAfter(['eval', 'set', 'zadd'], ns.redis, () => store.revokeAll('ada'));
    const token = await storeFor({}, racing).create('ada', cart());
    expect(await store.get(token)).toBeNull();
  });

  it('keeps a login that lands during revokeAll (after it took the index) in the index, so the next revokeAll still finds it', async () => {
    const store = storeFor();
    await store.create('ada', cart());
    let late = '';
    const racing = raceAfter(['multi'], ns.redis, async () => (late = await store.create('ada', cart())));
    expect(await storeFor({}, racing).revokeAll('ada')).toBe(1);
    expect(await store.get(late)).not.toBeNull(); // it began after the logout
    expect(await store.revokeAll('ada')).toBe(1);
    expect(await store.get(late)).toBeNull();
  });

  it('never leaves a session live and missing from its user\'s index, wherever a revokeAll lands in a create, or a create in a revokeAll', async () => {
    const cases: Array<[string, (store: RevocableSessionStore<Cart>) => Promise<string>]> = [
      ['revokeAll after create\'s index write', (store) => storeFor({}, raceAfter(['eval'], ns.redis, () => store.revokeAll('ada'))).create('ada', cart())],
      ['create after revokeAll took the index', async (store) => {
        let token = '';
        await storeFor({}, raceAfter(['multi'], ns.redis, async () => (token = await store.create('ada', cart())))).revokeAll('ada');
        return token;
      }],
      ['create after revokeAll freed a session', async (store) => {
        let token = '';
        await storeFor({}, raceAfter(['unlink'], ns.redis, async () => (token = await store.create('ada', cart())))).revokeAll('ada');
        return token;
      }],
    ];
    for (const [what, race] of cases) {
      const store = storeFor();
      await store.create('ada', cart());
      const token = await race(store);
      const live = (await store.get(token)) !== null;
      const indexed = (await ns.redis.zscore(indexKey(ns, 'ada'), sha256(token))) !== null;
      expect(!live || indexed, what).toBe(true);
      await store.revokeAll('ada');
      expect(await store.get(token), `${what}: the next revokeAll ends it`).toBeNull();
    }
  });

  it('destroy racing revokeAll: the session ends once, and is counted once', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    const results = await Promise.all([store.destroy(token), store.revokeAll('ada')]);
    expect(Number(results[0]) + results[1]).toBe(1);
    expect(await store.get(token)).toBeNull();
    expect(await store.revokeAll('ada')).toBe(0);
  });
});

describe('RevocableSessionStore: edges a learner could get wrong', () => {
  it('takes glob characters in a user id literally: revoking user "*" is not revoking everyone', async () => {
    const store = storeFor();
    const star = await store.create('*', cart());
    const ada = await store.create('ada', cart());
    expect(await store.revokeAll('*')).toBe(1);
    expect(await store.get(star)).toBeNull();
    expect(await store.get(ada)).not.toBeNull();
  });

  it.each([
    ['an empty user id', ''],
    ['a user id that is not a string', 42],
    ['a 300-character user id', 'u'.repeat(300)],
  ])('refuses %s with a TypeError and writes nothing', async (_, userId) => {
    const store = storeFor();
    await expect(store.create(userId as string, cart())).rejects.toThrow(TypeError);
    await expect(store.revokeAll(userId as string)).rejects.toThrow(TypeError);
    expect((await dump(ns)).size).toBe(0);
  });

  it.each([
    ['an empty string', ''],
    ['a short token', 'abc'],
    ['a glob', '*'],
    ['a token with a character base64url does not use', `${'A'.repeat(42)}=`],
    ['a megabyte', 'A'.repeat(1_000_000)],
    ['a token one character too long', 'A'.repeat(44)],
    ['a token with a character before it', `.${'A'.repeat(43)}`],
  ])('destroy answers %s with false without asking Redis', async (_, token) => {
    const multi = vi.spyOn(ns.redis, 'multi');
    expect(await storeFor().destroy(token)).toBe(false);
    expect(multi).not.toHaveBeenCalled();
  });

  it('destroy removes a foreign value at a session key and says there was no session', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    await ns.redis.set(sessionKey(ns, token), 'not a session', 'EX', 60);
    expect(await store.destroy(token)).toBe(false);
    expect(await ns.redis.exists(sessionKey(ns, token))).toBe(0);
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

  it('takes an expired session out of its user\'s index when it is read', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    await store.create('ada', cart());
    const { time } = await import('./session-helpers.js');
    time.now += 31 * 60_000;
    expect(await store.get(token)).toBeNull();
    expect(await ns.redis.zcard(indexKey(ns, 'ada'))).toBe(1);
  });

  const getFailed = new Error('GET failed');
  const destroyUnlinkFailed = new Error('UNLINK failed');
  it.each([
    ['the read', [[getFailed, null], [null, 1]], getFailed],
    ['the unlink', [[null, Buffer.from('x')], [destroyUnlinkFailed, null]], destroyUnlinkFailed],
  ])('destroy lets an error in %s inside its MULTI reach the caller, itself', async (_, replies, error) => {
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
    // (toBe, not toThrow(/…/): vitest's toThrow with a pattern also passes for a rejection with null)
    await expect(storeFor({}, failing).destroy(token)).rejects.toBe(error);
  });

  const loading = new Error('LOADING Redis is loading');
  const revokeUnlinkFailed = new Error('UNLINK failed');
  it.each([
    ['the read', [[loading, null], [null, 1]], loading],
    ['the unlink', [[null, []], [revokeUnlinkFailed, null]], revokeUnlinkFailed],
    ['both', [[loading, null], [revokeUnlinkFailed, null]], revokeUnlinkFailed],
  ])('revokeAll lets an error in %s inside its MULTI reach the caller, itself', async (_, replies, error) => {
    const failing = new Proxy(ns.redis, {
      get: (target, property) =>
        property === 'multi'
          ? () => {
              const batch = { zrange: () => batch, unlink: () => batch, exec: async () => replies };
              return batch;
            }
          : Reflect.get(target, property, target),
    });
    await expect(storeFor({}, failing).revokeAll('ada')).rejects.toBe(error);
  });
});

describe('RevocableSessionStore: a key of another type where the index should be (a miss that heals)', () => {
  const plantString = (userId: string) => ns.redis.set(indexKey(ns, userId), 'not an index');

  it('create replaces it with an index, and the session is live', async () => {
    await plantString('ada');
    const store = storeFor();
    const token = await store.create('ada', cart());
    expect(await ns.redis.type(indexKey(ns, 'ada'))).toBe('zset');
    expect(await store.get(token)).not.toBeNull();
  });

  it('reads a session whose index is of another type as not live (logged out, never the reverse)', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    await ns.redis.unlink(indexKey(ns, 'ada'));
    await plantString('ada');
    expect(await store.get(token)).toBeNull();
    expect(await store.destroy(token)).toBe(false);
  });

  it('revokeAll answers 0 and removes it, and frees no session key', async () => {
    await plantString('ada');
    const unlink = vi.spyOn(ns.redis, 'unlink');
    expect(await storeFor().revokeAll('ada')).toBe(0);
    expect(unlink).not.toHaveBeenCalled();
    expect(await ns.redis.exists(indexKey(ns, 'ada'))).toBe(0);
  });

  it('an index lost altogether (evicted, flushed) logs its user out: it never leaves a session that revokeAll cannot end', async () => {
    const store = storeFor();
    const tokens = await Promise.all([1, 2].map(() => store.create('ada', cart())));
    await ns.redis.unlink(indexKey(ns, 'ada'));
    for (const token of tokens) expect(await store.get(token)).toBeNull();
  });
});

describe('RevocableSessionStore: garbage at a session key', () => {
  it('is a miss for this step too, and is removed (there is no user to take out of an index)', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    await ns.redis.set(sessionKey(ns, token), 'not a session', 'EX', 60);
    expect(await store.get(token)).toBeNull();
    expect(await ns.redis.exists(sessionKey(ns, token))).toBe(0);
  });
});

describe('RevocableSessionStore: callbacks that throw', () => {
  it('destroy reads a session its codec cannot decode as no session, and removes it', async () => {
    const token = await storeFor().create('ada', cart());
    const codec = { ...jsonCodec, decode: () => { throw new Error('codec broke'); } };
    expect(await storeFor({ codec }).destroy(token)).toBe(false);
    expect(await ns.redis.exists(sessionKey(ns, token))).toBe(0);
  });

  it('a create whose codec throws leaves the index as it was', async () => {
    const store = storeFor();
    await store.create('ada', cart());
    const codec = { ...jsonCodec, encode: () => { throw new Error('codec broke'); } };
    await expect(storeFor({ codec }).create('ada', cart())).rejects.toThrow(/codec broke/);
    expect(await ns.redis.zcard(indexKey(ns, 'ada'))).toBe(1);
    expect(HOUR).toBeGreaterThan(0);
  });
});
