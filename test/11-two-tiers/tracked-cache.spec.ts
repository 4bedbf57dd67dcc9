import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTrackedCache, type TrackedCache } from '@kata/11-two-tiers/tracked-cache.js';
import { backend, useRedis } from '../support/redis.js';
import { trusts } from './instances.js';
import { clientIdByName, trackingInfo, useTrackingServer, withoutClientCommand } from './tracking-server.js';

const ns = useRedis();
const server = useTrackingServer(ns);
const opened: Array<TrackedCache<unknown>> = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

let instances = 0;
/** An app instance on client-side caching: a connection of its own, which the server tracks. */
async function tracked<T>() {
  const name = `cachelings-tracked-${process.pid}-${++instances}`;
  const redis = await server.connect({ connectionName: name });
  const instance = await createTrackedCache<T>({ redis, l1Max: 100, l1TtlMs: 60_000, l2TtlSeconds: 60 });
  opened.push(instance as TrackedCache<unknown>);
  return { ...instance, redis, name };
}

const waitFor = (check: () => void) => vi.waitFor(check, { timeout: 1_000, interval: 5 });

describe('createTrackedCache: the server tells L1 what changed', () => {
  server.test('drops a key from L1 when any client changes it, although nobody published anything', async () => {
    const { cache } = await tracked<string>();
    const admin = await server.connect();
    const key = server.key('user', 1);
    await admin.set(key, JSON.stringify({ json: 'old' }));
    expect(await cache.get(key, async () => 'loader')).toBe('old');
    expect(cache.hasL1(key)).toBe(true);
    await admin.set(key, JSON.stringify({ json: 'new' })); // a plain SET, from a client that knows nothing of L1
    await waitFor(() => expect(cache.hasL1(key)).toBe(false));
    expect(await cache.get(key, async () => 'loader')).toBe('new');
  });

  server.test('keeps a loaded value out of L1 (the server only watches what was read), and the next Redis answer in it', async () => {
    const { cache } = await tracked<string>();
    const key = server.key('k');
    expect(await cache.get(key, async () => 'loaded')).toBe('loaded');
    expect(cache.hasL1(key)).toBe(false);
    expect(await cache.get(key, async () => 'loader')).toBe('loaded');
    expect(cache.hasL1(key)).toBe(true);
  });

  server.test('keeps two instances coherent: one writes through its cache, the other drops the key', async () => {
    const a = await tracked<string>();
    const b = await tracked<string>();
    const key = server.key('k');
    await a.cache.get(key, async () => 'old');
    await b.cache.get(key, async () => 'loader');
    expect(b.cache.hasL1(key)).toBe(true);
    await a.cache.set(key, 'new');
    await waitFor(() => expect(b.cache.hasL1(key)).toBe(false));
    expect(await b.cache.get(key, async () => 'loader')).toBe('new');
  });

  server.test('turns tracking on again after either connection is dropped, and sees what changed meanwhile', async () => {
    const { cache, redis, name } = await tracked<string>();
    const admin = await server.connect();
    const key = server.key('k');
    await admin.set(key, JSON.stringify({ json: 'old' }));
    await cache.get(key, async () => 'loader');
    await admin.client('KILL', 'ID', await clientIdByName(admin, name)); // the tracked connection
    await trusts(cache, false, 1_000);
    await admin.set(key, JSON.stringify({ json: 'meanwhile' }));
    await trusts(cache, true, 5_000);
    expect(await cache.get(key, async () => 'loader')).toBe('meanwhile');
    const { redirect } = await trackingInfo(redis);
    await admin.client('KILL', 'ID', String(redirect)); // the subscriber: it comes back with a new id
    await trusts(cache, false, 1_000);
    await trusts(cache, true, 5_000);
    expect((await trackingInfo(redis)).redirect).not.toBe(redirect);
    await cache.get(key, async () => 'loader');
    await admin.set(key, JSON.stringify({ json: 'after' })); // tracked again: this one is heard
    await waitFor(() => expect(cache.hasL1(key)).toBe(false));
  });

  server.test('close() turns tracking off on the connection (which stays open: it is the caller\'s, without our listeners) and uses no L1 afterwards', async () => {
    const redis = await server.connect();
    const listeners = () => ['close', 'ready'].map((event) => redis.listenerCount(event));
    const before = listeners();
    const { cache, close } = await createTrackedCache<string>({ redis, l1Max: 100, l1TtlMs: 60_000, l2TtlSeconds: 60 });
    await close();
    expect(listeners()).toEqual(before);
    expect(cache.trustL1).toBe(false);
    expect((await trackingInfo(redis)).flags).toEqual(['off']);
    expect(redis.status).toBe('ready');
  });
});

describe('createTrackedCache on a server without CLIENT TRACKING', () => {
  it(`rejects at creation, with the reason as its cause${backend === 'mock' ? ' (here: ioredis-mock)' : ' (a connection that refuses CLIENT)'}`, async () => {
    const redis = await ns.connect();
    const creating = createTrackedCache({ redis: backend === 'mock' ? redis : withoutClientCommand(redis), l1Max: 10, l1TtlMs: 1_000, l2TtlSeconds: 60 });
    await expect(creating).rejects.toBeInstanceOf(Error);
    await expect(creating).rejects.toHaveProperty('cause', expect.any(Error));
  });
});
