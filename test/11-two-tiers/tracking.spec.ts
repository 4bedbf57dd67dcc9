import { describe, expect, it, vi } from 'vitest';
import { INVALIDATE_CHANNEL, invalidationListener, subscribeToInvalidations, trackInto } from '@kata/11-two-tiers/tracking.js';
import { TwoTierCache } from '../../provided/two-tier.js';
import { useRedis } from '../support/redis.js';
import { trackingInfo, useTrackingServer } from './tracking-server.js';

const ns = useRedis();
const server = useTrackingServer(ns);

describe('invalidationListener: what a message on __redis__:invalidate means', () => {
  it('drops the keys a message names (an array of Buffers), and only those', async () => {
    const cache = new TwoTierCache<string>({ redis: ns.redis, l1Max: 10, l1TtlMs: 60_000, l2TtlSeconds: 60 });
    for (const key of ['a', 'b', 'c']) await cache.get(ns.key(key), async () => key);
    invalidationListener(cache)(Buffer.from(INVALIDATE_CHANNEL), [Buffer.from(ns.key('a')), Buffer.from(ns.key('b'))]);
    expect(['a', 'b', 'c'].map((k) => cache.hasL1(ns.key(k)))).toEqual([false, false, true]);
  });

  it('clears all of L1 when a message names no key (null: FLUSHDB or FLUSHALL), and ignores other channels', async () => {
    const cache = new TwoTierCache<string>({ redis: ns.redis, l1Max: 10, l1TtlMs: 60_000, l2TtlSeconds: 60 });
    for (const key of ['a', 'b']) await cache.get(ns.key(key), async () => key);
    const listener = invalidationListener(cache);
    listener(Buffer.from('another channel'), [Buffer.from(ns.key('a'))]);
    expect(cache.hasL1(ns.key('a'))).toBe(true);
    listener(Buffer.from(INVALIDATE_CHANNEL), null);
    expect([cache.hasL1(ns.key('a')), cache.hasL1(ns.key('b'))]).toEqual([false, false]);
  });
});

describe('the tracking protocol, on a real server', () => {
  server.test('subscribeToInvalidations subscribes the connection to __redis__:invalidate and answers its client id', async () => {
    const [subscriber, admin] = [await server.connect(), await server.connect()];
    const id = await subscribeToInvalidations(subscriber);
    const line = String(await admin.call('CLIENT', 'LIST', 'ID', id));
    expect(line).toMatch(/ sub=1 /);
    expect(await admin.pubsub('NUMSUB', INVALIDATE_CHANNEL)).toEqual([INVALIDATE_CHANNEL, 1]);
  });

  server.test('trackInto turns tracking on, redirected to that id, without echoes of its own writes (NOLOOP), and trusts L1 from empty', async () => {
    const [redis, subscriber] = [await server.connect(), await server.connect()];
    const cache = new TwoTierCache<string>({ redis, l1Max: 10, l1TtlMs: 60_000, l2TtlSeconds: 60 });
    cache.trustL1 = false;
    const id = await subscribeToInvalidations(subscriber);
    await trackInto(redis, id, cache);
    expect(await trackingInfo(redis)).toMatchObject({ flags: expect.arrayContaining(['on', 'noloop']), redirect: Number(id) });
    expect(cache.trustL1).toBe(true);
  });

  server.test('together: a key the connection read is dropped from L1 when any client changes it, although nobody published anything', async () => {
    const [redis, subscriber, admin] = [await server.connect(), await server.connect(), await server.connect()];
    const cache = new TwoTierCache<string>({ redis, l1Max: 10, l1TtlMs: 60_000, l2TtlSeconds: 60, fillL1AfterLoad: false });
    subscriber.on('messageBuffer', invalidationListener(cache));
    await trackInto(redis, await subscribeToInvalidations(subscriber), cache);
    const key = server.key('user', 1);
    await cache.set(key, 'old');
    expect(await cache.get(key, async () => 'loader')).toBe('old'); // read from Redis: watched, and in L1
    expect(cache.hasL1(key)).toBe(true);
    await admin.set(key, 'a plain SET, from a client that knows nothing of L1');
    await vi.waitFor(() => expect(cache.hasL1(key)).toBe(false), { timeout: 1_000, interval: 5 });
  });
});
