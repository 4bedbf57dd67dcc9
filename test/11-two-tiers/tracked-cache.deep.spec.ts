import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { createTrackedCache, type TrackedCache } from '@kata/11-two-tiers/tracked-cache.js';
import { backend, useRedis } from '../support/redis.js';
import { writeFromAnotherProcess } from './child-writer.js';
import { trusts } from './instances.js';
import { trackingInfo, useTrackingServer, withoutClientCommand } from './tracking-server.js';

const ns = useRedis();
const server = useTrackingServer(ns);
const opened: Array<TrackedCache<unknown>> = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

const options = { l1Max: 10, l1TtlMs: 60_000, l2TtlSeconds: 60 };

/** A tracked cache, and the subscriber it opened (caught as it is made). */
async function tracked<T>(redis: Redis) {
  const duplicate = vi.spyOn(redis, 'duplicate');
  const instance = await createTrackedCache<T>({ ...options, redis });
  opened.push(instance as TrackedCache<unknown>);
  const subscriber = duplicate.mock.results[0]!.value as Redis;
  duplicate.mockRestore();
  return { ...instance, subscriber };
}

/** Resolves within `ms` or fails, saying what hung. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not resolve within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('createTrackedCache, in depth: close() ends what it opened, from every state', () => {
  server.test('from ready: the subscriber has ended, and close() again resolves at once', async () => {
    const { close, subscriber } = await tracked<string>(await server.connect());
    opened.pop();
    await close();
    expect(subscriber.status).toBe('end');
    await within(100, 'a second close()', close());
  });

  server.test('from reconnecting (the server is gone): resolves at once and the subscriber has ended, not "reconnecting" for good', async () => {
    if (!server.own) return; // killing a server is for one of the spec's own
    const redis = await server.connect({ maxRetriesPerRequest: null }); // a command sent now would wait for as long as the outage lasts
    const { close, subscriber, cache } = await tracked<string>(redis);
    opened.pop();
    await server.own.server.kill();
    await vi.waitFor(() => expect([redis.status, subscriber.status]).toEqual(['reconnecting', 'reconnecting']), { timeout: 2_000, interval: 5 });
    await within(500, 'close() of a cache whose connections are reconnecting', close());
    expect(subscriber.status).toBe('end');
    expect(cache.trustL1).toBe(false);
  });

  server.test('after the caller closed its own connection: resolves, and ends the subscriber', async () => {
    const redis = await server.connect();
    const { close, subscriber } = await tracked<string>(redis);
    opened.pop();
    redis.disconnect();
    await within(500, 'close() after the connection was closed', close());
    expect(subscriber.status).toBe('end');
  });

  server.test('when creation fails (no CLIENT TRACKING), leaves its subscriber ended, and the caller\'s connection without its listeners', async () => {
    const redis = await server.connect();
    const refusing = withoutClientCommand(redis);
    const duplicate = vi.spyOn(redis, 'duplicate');
    const before = redis.listenerCount('close');
    await expect(createTrackedCache({ ...options, redis: refusing })).rejects.toThrow(/^createTrackedCache: could not turn on CLIENT TRACKING .*Redis 6\+/);
    expect((duplicate.mock.results[0]!.value as Redis).status).toBe('end');
    expect(redis.listenerCount('close')).toBe(before);
  });

  server.test('when the server is down at creation: rejects, and leaves no subscriber reconnecting', async () => {
    if (!server.own) return;
    const redis = await server.connect();
    await redis.ping();
    await server.own.server.kill();
    await vi.waitFor(() => expect(redis.status).toBe('reconnecting'), { timeout: 2_000, interval: 5 });
    const duplicate = vi.spyOn(redis, 'duplicate');
    await expect(within(3_000, 'createTrackedCache on a dead server', createTrackedCache({ ...options, redis }))).rejects.toThrow(/CLIENT TRACKING/);
    expect((duplicate.mock.results[0]!.value as Redis).status).toBe('end');
  });

  server.test('after its subscriber ended by itself (no more reconnects): resolves', async () => {
    if (!server.own) return;
    const redis = await server.connect({ retryStrategy: () => null }); // its duplicate gives up at once too
    const { close, subscriber } = await tracked<string>(redis);
    opened.pop();
    await server.own.server.kill();
    await vi.waitFor(() => expect(subscriber.status).toBe('end'), { timeout: 2_000, interval: 5 });
    await within(500, 'close() of a cache whose subscriber has ended', close());
  });

  server.test('prints no "[ioredis] Unhandled error event" while its subscriber reconnects: it listens for errors', async () => {
    if (!server.own) return;
    const printed = vi.spyOn(console, 'error');
    const { subscriber } = await tracked<string>(await server.connect());
    await server.own.server.kill();
    await vi.waitFor(() => expect(subscriber.status).toBe('reconnecting'), { timeout: 2_000, interval: 5 });
    await new Promise((resolve) => setTimeout(resolve, 150)); // a few failed reconnects
    expect(printed.mock.calls.filter(([first]) => String(first).includes('[ioredis] Unhandled error event'))).toEqual([]);
  });

  server.test('does not turn tracking on again when close() comes while it was subscribing again after a reconnect', async () => {
    const [redis, admin] = [await server.connect(), await server.connect()];
    const { cache, close, subscriber } = await tracked<string>(redis);
    opened.pop();
    const subscribe = subscriber.subscribe.bind(subscriber);
    vi.spyOn(subscriber, 'subscribe').mockImplementation(async (...channels: Parameters<typeof subscribe>) => {
      const answer = await subscribe(...channels);
      void close(); // the app shuts down just as the subscription is back
      return answer;
    });
    await admin.client('KILL', 'ID', String((await trackingInfo(redis)).redirect));
    await vi.waitFor(() => expect(subscriber.status).toBe('end'), { timeout: 5_000, interval: 5 });
    await close();
    await redis.ping();
    expect((await trackingInfo(redis)).flags).toEqual(['off']);
    expect(cache.trustL1).toBe(false);
  });
});

describe('createTrackedCache, in depth: a server that restarts or is flushed', () => {
  server.test('after Redis restarts, tracks again on the new connections and serves the value written since', async () => {
    if (!server.own) return;
    const [redis, writer] = [await server.connect(), await server.connect()];
    const { cache } = await tracked<string>(redis);
    await writer.set('k', JSON.stringify({ json: 'before' }));
    await cache.get('k', async () => 'loader');
    expect(cache.hasL1('k')).toBe(true);
    await server.own.server.restart(); // empty, and every connection is new
    await trusts(cache, false, 2_000);
    await vi.waitFor(() => expect(writer.status).toBe('ready'), { timeout: 5_000, interval: 10 });
    await writer.set('k', JSON.stringify({ json: 'after' }));
    await trusts(cache, true, 5_000);
    expect(await cache.get('k', async () => 'loader')).toBe('after');
    await writer.set('k', JSON.stringify({ json: 'later' }));
    await vi.waitFor(() => expect(cache.hasL1('k')).toBe(false), { timeout: 1_000, interval: 5 });
  });

  server.test('clears all of L1 when the database is flushed', async () => {
    if (!server.own) return;
    const [redis, admin] = [await server.connect(), await server.connect()];
    const { cache } = await tracked<string>(redis);
    for (const key of ['a', 'b']) {
      await cache.get(key, async () => key);
      await cache.get(key, async () => 'loader');
    }
    await admin.flushdb();
    await vi.waitFor(() => expect([cache.hasL1('a'), cache.hasL1('b')]).toEqual([false, false]), { timeout: 1_000, interval: 5 });
  });

  server.test('asks for NOLOOP: its own writes come back to no one', async () => {
    const redis = await server.connect();
    await tracked<string>(redis);
    expect((await trackingInfo(redis)).flags).toEqual(expect.arrayContaining(['on', 'noloop']));
  });

  server.test(
    'drops its L1 entry when an instance in another process writes the key through its own tracked cache',
    async () => {
      const { cache } = await tracked<string>(await server.connect());
      const admin = await server.connect();
      const key = server.key('user', 1);
      await admin.set(key, JSON.stringify({ json: 'old' }));
      await cache.get(key, async () => 'loader');
      await writeFromAnotherProcess('tracking', server.url(), key, '', 'from another process');
      await vi.waitFor(() => expect(cache.hasL1(key)).toBe(false), { timeout: 2_000, interval: 10 });
      expect(await cache.get(key, async () => 'loader')).toBe('from another process');
    },
    20_000,
  );
});

describe('createTrackedCache, in depth: the error', () => {
  it(`says what it needs${backend === 'mock' ? ' (here: ioredis-mock)' : ''}`, async () => {
    const redis = await ns.connect();
    const creating = createTrackedCache({ ...options, redis: backend === 'mock' ? redis : withoutClientCommand(redis) });
    await expect(creating).rejects.toThrow(/^createTrackedCache: could not turn on CLIENT TRACKING \(.+\); it needs Redis 6\+, on a real server$/s);
  });
});
