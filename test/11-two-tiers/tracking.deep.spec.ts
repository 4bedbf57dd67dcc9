import { describe, expect, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { INVALIDATE_CHANNEL, invalidationListener, subscribeToInvalidations, trackInto } from '@kata/11-two-tiers/tracking.js';
import { TwoTierCache } from '../../provided/two-tier.js';
import { useRedis } from '../support/redis.js';
import { useTrackingServer } from './tracking-server.js';

const ns = useRedis();
const server = useTrackingServer(ns);

/** A cache tracked the exercise-5 way, on `redis`, with its invalidations on `subscriber`. */
async function tracked(redis: Redis, subscriber: Redis) {
  const cache = new TwoTierCache<string>({ redis, l1Max: 10, l1TtlMs: 60_000, l2TtlSeconds: 60, fillL1AfterLoad: false });
  subscriber.on('messageBuffer', invalidationListener(cache));
  await trackInto(redis, await subscribeToInvalidations(subscriber), cache);
  return cache;
}

/** Reads `key` twice: the first loads (or reads Redis), the second makes sure a GET answer is in L1. */
async function readTwice(cache: TwoTierCache<string>, key: string) {
  await cache.get(key, async () => key);
  await cache.get(key, async () => 'loader');
}

describe('the tracking protocol, in depth', () => {
  server.test('hears a DEL, and every key of a multi-key write (one message, many keys)', async () => {
    const [redis, subscriber, admin] = [await server.connect(), await server.connect(), await server.connect()];
    const cache = await tracked(redis, subscriber);
    const [a, b, c] = [server.key('a'), server.key('b'), server.key('c')];
    for (const key of [a, b, c]) await readTwice(cache, key);
    expect([a, b, c].map((k) => cache.hasL1(k))).toEqual([true, true, true]);
    await admin.unlink(a);
    await admin.mset(b, 'x', c, 'y');
    await vi.waitFor(() => expect([a, b, c].map((k) => cache.hasL1(k))).toEqual([false, false, false]), { timeout: 1_000, interval: 5 });
  });

  server.test('does not echo its own writes (NOLOOP): a set() through the tracked connection sends no invalidation back', async () => {
    const [redis, subscriber] = [await server.connect(), await server.connect()];
    const cache = await tracked(redis, subscriber);
    const heard: unknown[] = [];
    subscriber.on('messageBuffer', (_channel: Buffer, keys: unknown) => void heard.push(keys));
    const key = server.key('k');
    await readTwice(cache, key);
    await cache.set(key, 'mine');
    await redis.ping(); // one more round trip: an echo would have arrived by now
    await subscriber.ping?.().catch(() => {});
    expect(heard).toEqual([]);
  });

  server.test('is not told of a change to a value its connection wrote after a miss (why fillL1AfterLoad is false), until a read watches it again', async () => {
    const [redis, subscriber, admin] = [await server.connect(), await server.connect(), await server.connect()];
    const cache = await tracked(redis, subscriber);
    const heard: string[] = [];
    subscriber.on('messageBuffer', (_channel: Buffer, keys: unknown) => void (Array.isArray(keys) && heard.push(...keys.map(String))));
    const key = server.key('k');
    await cache.get(key, async () => 'loaded'); // a miss: a GET, then our own write (NOLOOP: no echo, and the watch is spent)
    await admin.set(key, JSON.stringify({ json: 'changed' }));
    await admin.ping();
    await redis.ping();
    expect(heard).toEqual([]); // had the loaded value gone into L1, it would stay there, unannounced
    await cache.get(key, async () => 'loader'); // a read: watched again
    await admin.set(key, 'x');
    await vi.waitFor(() => expect(heard).toContain(key), { timeout: 1_000, interval: 5 });
  });

  server.test('clears all of L1 when the database is flushed (the invalidation carries no keys, only null)', async () => {
    if (!server.own) return; // FLUSHDB only on a server of the spec's own
    const [redis, subscriber, admin] = [await server.connect(), await server.connect(), await server.connect()];
    const cache = await tracked(redis, subscriber);
    for (const key of ['a', 'b']) await readTwice(cache, key);
    expect([cache.hasL1('a'), cache.hasL1('b')]).toEqual([true, true]);
    await admin.flushdb();
    await vi.waitFor(() => expect([cache.hasL1('a'), cache.hasL1('b')]).toEqual([false, false]), { timeout: 1_000, interval: 5 });
  });

  server.test('answers the id before subscribing: a subscribed connection could not answer CLIENT ID', async () => {
    const subscriber = await server.connect();
    const id = await subscribeToInvalidations(subscriber);
    expect(id).toMatch(/^\d+$/);
    await expect(subscriber.client('ID')).rejects.toThrow();
  });
});

describe('invalidationListener, in depth', () => {
  server.test('drops a key whose name is binary, exactly as the server sends it', async () => {
    const cache = new TwoTierCache<string>({ redis: await server.connect(), l1Max: 10, l1TtlMs: 60_000, l2TtlSeconds: 60 });
    const key = `${server.key('bin')}:é\u0000x`;
    await cache.get(key, async () => 'v');
    invalidationListener(cache)(Buffer.from(INVALIDATE_CHANNEL), [Buffer.from(key)]);
    expect(cache.hasL1(key)).toBe(false);
  });
});
