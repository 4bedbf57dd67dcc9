import { describe, expect, it } from 'vitest';
import { RotatingSessionStore } from '@kata/06-cluster-sessions/rotation.js';
import { onCluster, useCluster, useRedis } from '../support/redis.js';
import { HOUR, MINUTE, TOKEN, cart, sessionKey, start, storesOf, time, type Cart } from './session-helpers.js';

const ns = useRedis();
const shared = useCluster(ns);
const storeFor = storesOf(RotatingSessionStore<Cart>, ns);

describe('RotatingSessionStore: the idle timeout slides', () => {
  it('slides the idle timeout on every use: used every 20 minutes, it lives past the first 30', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    for (let i = 0; i < 6; i++) {
      time.now += 20 * MINUTE;
      const session = await store.get(token);
      expect(session, `after ${20 * (i + 1)} minutes`).not.toBeNull();
      expect(session!.idleExpiresAt.getTime()).toBe(time.now + 30 * MINUTE);
    }
  });

  it('ends a session at its absolute lifetime however often it is used (the idle timeout never carries it further)', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    const session = await store.get(token);
    expect(session?.absoluteExpiresAt.getTime()).toBe(start + 8 * HOUR);
    while (time.now < start + 8 * HOUR - 20 * MINUTE) {
      time.now += 20 * MINUTE;
      expect(await store.get(token)).not.toBeNull();
    }
    expect((await store.get(token))!.idleExpiresAt.getTime()).toBe(start + 8 * HOUR); // capped
    time.now = start + 8 * HOUR;
    expect(await store.get(token)).toBeNull();
  });

  it('gives the Redis key a TTL that ends with the session: at most the idle timeout, at most what is left of the lifetime', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    const ttl = await ns.redis.pttl(sessionKey(ns, token));
    expect(ttl).toBeGreaterThan(29 * MINUTE);
    expect(ttl).toBeLessThanOrEqual(30 * MINUTE);

    const long = storeFor({ idleTimeoutMs: 8 * HOUR }); // idle as long as the lifetime
    const late = await long.create('bob', cart());
    time.now += 7 * HOUR + 50 * MINUTE;
    await long.get(late);
    const left = await ns.redis.pttl(sessionKey(ns, late));
    expect(left).toBeGreaterThan(9 * MINUTE);
    expect(left).toBeLessThanOrEqual(10 * MINUTE);
  });
});

describe('RotatingSessionStore: rotate (session fixation)', () => {
  it('gives a new token to the same session, and the old token is dead at once', async () => {
    const store = storeFor();
    const old = await store.create('ada', cart());
    time.now += 5 * MINUTE;
    const fresh = await store.rotate(old);
    expect(fresh).toMatch(TOKEN);
    expect(fresh).not.toBe(old);
    expect(await store.get(old)).toBeNull();
    const session = await store.get(fresh!);
    expect(session?.userId).toBe('ada');
    expect(session?.data).toEqual(cart());
    expect(session?.createdAt.getTime()).toBe(start);
  });

  it('does not extend the absolute lifetime: rotating is no way to live forever', async () => {
    const store = storeFor();
    let token = await store.create('ada', cart());
    for (let i = 0; i < 30; i++) {
      time.now += 20 * MINUTE;
      token = (await store.rotate(token)) ?? token;
    }
    expect(await store.get(token)).toBeNull();
  });

  it('answers null for a token with no live session', async () => {
    const store = storeFor();
    expect(await store.rotate('A'.repeat(43))).toBeNull();
    const token = await store.create('ada', cart());
    time.now += 31 * MINUTE;
    expect(await store.rotate(token)).toBeNull();
  });

  it('lets only one of two simultaneous rotations of a token win: a session never forks into two', async () => {
    const store = storeFor();
    const old = await store.create('ada', cart());
    const results = await Promise.all([store.rotate(old), store.rotate(old)]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await store.revokeAll('ada')).toBe(1);
  });

  it('revokeAll also reaches sessions that were rotated', async () => {
    const store = storeFor();
    const rotated = await store.rotate(await store.create('ada', cart()));
    expect(await store.revokeAll('ada')).toBe(1);
    expect(await store.get(rotated!)).toBeNull();
  });
});

describe('RotatingSessionStore on the real cluster', () => {
  onCluster()('creates, reads, rotates and revokes sessions whose keys live in many slots, without CROSSSLOT', async () => {
    const store = storeFor({}, shared.cluster);
    const tokens = await Promise.all(Array.from({ length: 12 }, () => store.create('ada', cart())));
    const slots = await Promise.all(tokens.map((t) => shared.cluster.call('CLUSTER', 'KEYSLOT', sessionKey(ns, t))));
    expect(new Set(slots).size).toBeGreaterThan(6);
    expect((await store.get(tokens[0]!))?.data).toEqual(cart());
    const rotated = await store.rotate(tokens[1]!);
    expect(await store.get(tokens[1]!)).toBeNull();
    expect(await store.revokeAll('ada')).toBe(12);
    expect(await store.get(rotated!)).toBeNull();
    expect(await store.get(tokens[2]!)).toBeNull();
  });
});
