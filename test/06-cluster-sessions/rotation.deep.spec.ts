import { describe, expect, it, vi } from 'vitest';
import { RotatingSessionStore } from '@kata/06-cluster-sessions/rotation.js';
import { jsonCodec } from '../../provided/codecs.js';
import { useRedis } from '../support/redis.js';
import { HOUR, MINUTE, cart, indexKey, raceAfter, sessionKey, sha256, storesOf, time, type Cart } from './session-helpers.js';

const ns = useRedis();
const storeFor = storesOf(RotatingSessionStore<Cart>, ns);

/** After a race: no session of ada's is live, and revokeAll finds nothing left to end. */
async function nothingAlive(store: RotatingSessionStore<Cart>, tokens: Array<string | null>): Promise<void> {
  for (const token of tokens) if (token !== null) expect(await store.get(token)).toBeNull();
  expect(await store.revokeAll('ada')).toBe(0);
}

describe('RotatingSessionStore: races with "log out everywhere"', () => {
  it('does not bring a session back to life when it is revoked while get() slides its timeout', async () => {
    const store = storeFor();
    const token = await store.create('ada', cart());
    const racing = raceAfter(['get', 'getBuffer'], ns.redis, () => store.revokeAll('ada'));
    await storeFor({}, racing).get(token);
    expect(await ns.redis.exists(sessionKey(ns, token))).toBe(0);
    expect(await store.get(token)).toBeNull();
  });

  it('a rotation that loses the race to "log out everywhere" leaves no session behind', async () => {
    const store = storeFor();
    const old = await store.create('ada', cart());
    // revokeAll lands just after rotate has read the old session, before anything else it sends.
    const racing = raceAfter(['get', 'getBuffer'], ns.redis, () => store.revokeAll('ada'));
    const fresh = await storeFor({}, racing).rotate(old);
    await nothingAlive(store, [old, fresh]);
  });

  it.each([
    ['after rotate checked the old session in the index', 'zscore'],
    ['after rotate indexed the new token', 'eval'],
    ['after rotate wrote the new session', 'set'],
    ['after rotate took the old token out of the index', 'zrem'],
  ])('a revokeAll %s leaves nothing alive', async (_, command) => {
    const store = storeFor();
    const old = await store.create('ada', cart());
    const racing = raceAfter([command], ns.redis, () => store.revokeAll('ada'));
    const fresh = await storeFor({}, racing).rotate(old);
    await nothingAlive(store, [old, fresh]);
  });

  it.each([
    ['after revokeAll took the index', 'multi'],
    ['after revokeAll freed the first session', 'unlink'],
  ])('a rotation that starts %s finds nothing to rotate, or leaves nothing alive', async (_, command) => {
    const store = storeFor();
    const tokens = await Promise.all([1, 2].map(() => store.create('ada', cart())));
    let fresh: string | null = null;
    const racing = raceAfter([command], ns.redis, async () => (fresh = await store.rotate(tokens[0]!)));
    await storeFor({}, racing).revokeAll('ada');
    await nothingAlive(store, [...tokens, fresh]);
  });

  it('of a rotation and a destroy of the same token at once, the session ends either way', async () => {
    const store = storeFor();
    const old = await store.create('ada', cart());
    const [fresh, destroyed] = await Promise.all([store.rotate(old), store.destroy(old)]);
    expect(destroyed || fresh === null || (await store.get(fresh)) !== null).toBe(true);
    expect(await store.get(old)).toBeNull();
  });
});

describe('RotatingSessionStore: edges a learner could get wrong', () => {
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

  it('takes the old token out of the user\'s index on rotate, and an expired one when it is read', async () => {
    const store = storeFor();
    const old = await store.create('ada', cart());
    const fresh = (await store.rotate(old))!;
    expect(await ns.redis.zrange(indexKey(ns, 'ada'), 0, -1)).toEqual([sha256(fresh)]);
    expect(await ns.redis.exists(sessionKey(ns, old))).toBe(0);
    time.now += 31 * MINUTE;
    expect(await store.get(fresh)).toBeNull();
    expect(await ns.redis.zcard(indexKey(ns, 'ada'))).toBe(0);
  });

  it('gives a rotated token the idle timeout again, not the whole rest of the lifetime', async () => {
    const store = storeFor();
    const fresh = (await store.rotate(await store.create('ada', cart())))!;
    expect(await ns.redis.pttl(sessionKey(ns, fresh))).toBeLessThanOrEqual(30 * MINUTE);
    time.now += 30 * MINUTE;
    expect(await store.get(fresh)).toBeNull();
  });

  it('gives the index a TTL that lasts as long as its longest-lived session, whatever order sessions are rotated in', async () => {
    const store = storeFor({ idleTimeoutMs: 8 * HOUR });
    const early = await store.create('ada', cart());
    time.now += 4 * HOUR;
    await store.create('ada', cart()); // lives until start + 12 h
    time.now += 1 * HOUR;
    expect(await store.rotate(early)).not.toBeNull(); // an older session: its lifetime ends at start + 8 h
    const ttl = await ns.redis.pttl(indexKey(ns, 'ada'));
    expect(ttl).toBeGreaterThan(6 * HOUR);
    expect(ttl).toBeLessThanOrEqual(7 * HOUR);
  });

  it('a rotation whose codec throws leaves the old session live and the index as it was', async () => {
    const store = storeFor();
    const old = await store.create('ada', cart());
    const codec = { ...jsonCodec, encode: () => { throw new Error('codec broke'); } };
    await expect(storeFor({ codec }).rotate(old)).rejects.toThrow(/codec broke/);
    expect(await store.get(old)).not.toBeNull();
    expect(await ns.redis.zrange(indexKey(ns, 'ada'), 0, -1)).toEqual([sha256(old)]);
  });
});
