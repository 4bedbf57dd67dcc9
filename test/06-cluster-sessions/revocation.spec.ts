import { describe, expect, it } from 'vitest';
import { RevocableSessionStore } from '@kata/06-cluster-sessions/revocation.js';
import { onCluster, useCluster, useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';
import { HOUR, cart, indexKey, sha256, storesOf, time, type Cart } from './session-helpers.js';

const ns = useRedis();
const shared = useCluster(ns);
const storeFor = storesOf(RevocableSessionStore<Cart>, ns);

describe('RevocableSessionStore: destroy and revokeAll', () => {
  it('destroy ends one session (logout) and says whether there was one', async () => {
    const store = storeFor();
    const a = await store.create('ada', cart());
    const b = await store.create('ada', cart());
    expect(await store.destroy(a)).toBe(true);
    expect(await store.destroy(a)).toBe(false);
    expect(await store.get(a)).toBeNull();
    expect(await store.get(b)).not.toBeNull();
    expect(await ns.redis.zcard(indexKey(ns, 'ada'))).toBe(1);
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

  it('indexes each session under its user, by the hash of its token, scored by its absolute expiry', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    expect(await ns.redis.zrange(indexKey(ns, 'ada'), 0, -1, 'WITHSCORES')).toEqual([sha256(token), String(time.now + 8 * HOUR)]);
  });

  it('takes the index as the truth: a session whose hash has left its user\'s index is not live', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    await ns.redis.zrem(indexKey(ns, 'ada'), sha256(token));
    expect(await store.get(token)).toBeNull();
  });

  it('keeps the per-user index bounded: sessions past their lifetime leave it on the next login', async () => {
    const store = storeFor();
    for (let i = 0; i < 50; i++) await store.create('ada', cart());
    expect(await ns.redis.zcard(indexKey(ns, 'ada'))).toBe(50);
    time.now += 8 * HOUR;
    await store.create('ada', cart());
    expect(await ns.redis.zcard(indexKey(ns, 'ada'))).toBe(1);
  });

  it('refuses a bad user id in revokeAll with a TypeError naming userId', async () => {
    await expectRefusal(() => storeFor().revokeAll(''), TypeError, 'userId');
  });
});

describe('RevocableSessionStore on the real cluster', () => {
  onCluster()('indexes and revokes sessions whose keys live in many slots, without CROSSSLOT', async () => {
    const store = storeFor({}, shared.cluster);
    const tokens = await Promise.all(Array.from({ length: 12 }, () => store.create('ada', cart())));
    expect(await store.destroy(tokens[0]!)).toBe(true);
    expect(await store.revokeAll('ada')).toBe(11);
    for (const token of tokens) expect(await store.get(token)).toBeNull();
  });
});
