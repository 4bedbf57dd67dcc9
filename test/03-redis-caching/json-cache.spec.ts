import { describe, expect, it } from 'vitest';
import { getJson, setJson } from '@kata/03-redis-caching/json-cache.js';
import { useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';

describe('getJson / setJson (source 3.2)', () => {
  const ns = useRedis();

  it('reads a key nobody wrote as a miss: { hit: false }', async () => {
    expect(await getJson(ns.redis, ns.key('user', 1))).toEqual({ hit: false });
  });

  it('round-trips a JSON value', async () => {
    const user = { id: 1, name: 'Ada', tags: ['admin'], manager: null };
    await setJson(ns.redis, ns.key('user', 1), user, 60);
    expect(await getJson(ns.redis, ns.key('user', 1))).toEqual({ hit: true, value: user });
  });

  it('reads a cached null, 0, \'\', false and [] as hits (the source answers None for a miss and for a cached None)', async () => {
    const falsy = [null, 0, '', false, []];
    for (const [i, value] of falsy.entries()) await setJson(ns.redis, ns.key('falsy', i), value, 60);
    for (const [i, value] of falsy.entries()) {
      expect(await getJson(ns.redis, ns.key('falsy', i))).toEqual({ hit: true, value });
    }
  });

  it('writes the value and its TTL in one SET … EX: the key expires within ttlSeconds', async () => {
    await setJson(ns.redis, ns.key('user', 1), { id: 1 }, 300);
    const ttl = await ns.redis.ttl(ns.key('user', 1));
    expect(ttl, 'TTL -1: the key never expires; -2: it is not there. Write value and TTL together: SET key value EX ttl').toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
  });

  it('treats bytes that are not JSON as a miss and deletes them (JSON.parse would throw at the caller)', async () => {
    await ns.redis.set(ns.key('user', 1), '{"id": 1, "name": "Ad'); // a truncated write
    expect(await getJson(ns.redis, ns.key('user', 1))).toEqual({ hit: false });
    expect(await ns.redis.exists(ns.key('user', 1))).toBe(0);
  });

  it('refuses an empty key at the call (it is always a missing id) and writes nothing', async () => {
    await expectRefusal(() => setJson(ns.redis, '', 1, 60), TypeError, 'key');
    await expectRefusal(() => getJson(ns.redis, ''), TypeError, 'key');
  });

  it('refuses a TTL of 0, -1 or 1.5 with a RangeError, and writes nothing', async () => {
    for (const ttl of [0, -1, 1.5, Number.NaN]) {
      await expectRefusal(() => setJson(ns.redis, ns.key('user', 1), { id: 1 }, ttl), RangeError, 'ttlSeconds');
    }
    expect(await ns.redis.exists(ns.key('user', 1))).toBe(0);
  });

  it('refuses what JSON would store as something else: undefined, a Map (stored as {}), a function', async () => {
    const lossy = [undefined, new Map([['a', 1]]), { id: 1, roles: new Set(['admin']) }, { id: 1, save() {} }];
    for (const value of lossy) {
      await expectRefusal(() => setJson(ns.redis, ns.key('user', 1), value, 60), TypeError, 'value');
    }
    expect(await ns.redis.exists(ns.key('user', 1))).toBe(0);
  });

  it('treats a key of another type as a miss (Redis answers GET on a LIST with WRONGTYPE), deletes it, and the next setJson heals it', async () => {
    await ns.redis.rpush(ns.key('user', 1), 'not', 'ours');
    expect(await getJson(ns.redis, ns.key('user', 1))).toEqual({ hit: false });
    expect(await ns.redis.exists(ns.key('user', 1))).toBe(0);
    await setJson(ns.redis, ns.key('user', 1), { id: 1 }, 60);
    expect(await getJson(ns.redis, ns.key('user', 1))).toEqual({ hit: true, value: { id: 1 } });
  });

});
