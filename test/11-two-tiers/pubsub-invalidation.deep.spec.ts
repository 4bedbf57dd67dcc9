import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { createCoherentCache, invalidationMessage } from '@kata/11-two-tiers/pubsub-invalidation.js';
import { onRealRedis, useRedis } from '../support/redis.js';
import { useThrowawayRedis, withRedisServer } from '../support/redis-server.js';
import { nextMessage, trusts, useInstances } from './instances.js';

const ns = useRedis();
const instance = useInstances(ns);

describe('createCoherentCache, in depth: the messages', () => {
  it('carries keys with any character: quotes, newlines, glob characters, 1 MB of text', async () => {
    const a = await instance<string>();
    const b = await instance<string>();
    for (const key of [ns.key('a"b\\c'), ns.key('line\nbreak'), ns.key('*?[x]'), ns.key('[\"x\",\"y\"]'), ns.key('x'.repeat(1_000_000))]) {
      await b.cache.get(key, async () => 'old');
      const delivered = nextMessage(b.subscriber, b.channel);
      await a.cache.set(key, 'new');
      await delivered;
      expect(b.cache.hasL1(key)).toBe(false);
    }
  });

  it('does not hear another app sharing the Redis on another channel', async () => {
    const a = await instance<string>(ns.key('app-a'));
    const b = await instance<string>(ns.key('app-b'));
    const key = ns.key('shared-name');
    await b.cache.get(key, async () => 'b');
    await a.cache.set(key, 'a');
    b.subscriber.emit('message', a.channel, invalidationMessage(a.instanceId, key)); // as if B's connection also listened there
    expect(b.cache.hasL1(key)).toBe(true);
  });

  it('announces in JSON: ["<instance id>", "<key>"]', () => {
    expect(JSON.parse(invalidationMessage('i-1', 'user:"1"'))).toEqual(['i-1', 'user:"1"']);
  });

  it.each(['not json', '', '[1,2]', '[1,"k"]', '["id",2]', '["only one"]', '["id","k","extra"]', '{"key":"k"}', '["id",""]', 'null', '"ab"', '42'])(
    'clears all of L1 on a message it did not write (%j): anything may have changed',
    async (message) => {
      const a = await instance<string>();
      await a.cache.get(ns.key('a'), async () => 'a');
      await a.cache.get(ns.key('b'), async () => 'b');
      expect(() => a.subscriber.emit('message', a.channel, message)).not.toThrow();
      expect(a.cache.hasL1(ns.key('a')) || a.cache.hasL1(ns.key('b'))).toBe(false);
    },
  );

  it('refuses a channel that is not a string, and the command connection as subscriber, with the exact messages', async () => {
    const [redis, subscriber] = [await ns.connect(), await ns.connect()];
    const options = { l1Max: 1, l1TtlMs: 1, l2TtlSeconds: 1 };
    await expect(createCoherentCache({ ...options, redis, subscriber, channel: 42 as unknown as string })).rejects.toThrow(
      new TypeError('createCoherentCache: the channel must be a non-empty string, got 42'),
    );
    await expect(createCoherentCache({ ...options, redis, subscriber: redis, channel: 'c' })).rejects.toThrow(/^createCoherentCache: the subscriber must be a connection of its own/);
  });
});

describe('createCoherentCache, in depth: close() from every state', () => {
  it('close() during a reconnect stays closed: the subscription that comes back late does not trust L1 again', async () => {
    const a = await instance<string>();
    a.subscriber.emit('close');
    a.subscriber.emit('ready'); // subscribing again has started...
    await a.close(); // ... and the app shuts the cache down before it answers
    await a.subscriber.subscribe(ns.key('after-close')); // one more round trip on that connection: the late answer has arrived
    expect(a.cache.trustL1).toBe(false);
  });

  it.each(['connecting', 'connect', 'reconnecting'])('close() while the subscriber is %s does not wait for its UNSUBSCRIBE', async (status) => {
    const a = await instance<string>();
    const unsubscribe = vi.spyOn(a.subscriber, 'unsubscribe').mockImplementation(() => new Promise(() => {}) as never); // a connection that is not back
    const own = Object.getOwnPropertyDescriptor(a.subscriber, 'status');
    Object.defineProperty(a.subscriber, 'status', { value: status, configurable: true, writable: true });
    let closed = false;
    void a.close().then(() => (closed = true));
    await new Promise((resolve) => setImmediate(resolve));
    if (own) Object.defineProperty(a.subscriber, 'status', own);
    else delete (a.subscriber as { status?: string }).status;
    unsubscribe.mockRestore();
    expect(closed).toBe(true);
  });

  it('close() twice, or after the caller closed the subscriber already, resolves and stays closed', async () => {
    const a = await instance<string>();
    await a.close();
    await a.close();
    const b = await instance<string>();
    b.subscriber.disconnect();
    await b.close();
    expect([a.cache.trustL1, b.cache.trustL1]).toEqual([false, false]);
  });
});

describe('createCoherentCache, in depth: a real lost connection', () => {
  onRealRedis('ioredis-mock has no CLIENT KILL')('after Redis drops the subscriber, B still sees a write made while it was away', async () => {
    const a = await instance<string>();
    // A subscribed connection cannot tell its id, and its address may be another behind a NAT
    // (Docker's published ports): ask for the id before the cache subscribes it.
    const [redis, subscriber] = (await a.connections(2)) as [Redis, Redis];
    const subscriberId = String(await subscriber.client('ID'));
    const b = await createCoherentCache<string>({ redis, subscriber, channel: a.channel, l1Max: 100, l1TtlMs: 60_000, l2TtlSeconds: 60 });
    onTestFinished(() => b.close());
    const key = ns.key('k');
    await b.cache.get(key, async () => 'old');
    await ns.redis.client('KILL', 'ID', subscriberId);
    await trusts(b.cache, false, 1_000);
    await a.cache.set(key, 'new'); // published while B may not be listening: lost
    await trusts(b.cache, true, 5_000);
    expect(await b.cache.get(key, async () => 'loader')).toBe('new');
  });
});

describe('createCoherentCache, in depth: on a Redis of its own that restarts', () => {
  const own = useThrowawayRedis();
  const options = { l1Max: 10, l1TtlMs: 60_000, l2TtlSeconds: 60, channel: 'invalidate' };

  withRedisServer()('B serves the value A wrote just after the restart, although its message may have been lost', async () => {
    const clients = [await own.connect(), await own.connect(), await own.connect(), await own.connect()] as const;
    const a = await createCoherentCache<string>({ ...options, redis: clients[0], subscriber: clients[1] });
    const b = await createCoherentCache<string>({ ...options, redis: clients[2], subscriber: clients[3] });
    await b.cache.get('k', async () => 'before');
    await own.server.restart();
    await trusts(b.cache, false, 2_000);
    await trusts({ get trustL1() { return clients.every((c) => c.status === 'ready'); } }, true, 5_000);
    await a.cache.set('k', 'after'); // B may not have subscribed again yet
    await trusts(b.cache, true, 5_000);
    expect(await b.cache.get('k', async () => 'loader')).toBe('after');
    await Promise.all([a.close(), b.close()]);
  });

  withRedisServer()('a new cache on the same subscriber and channel keeps its subscription when an old one closed while it was down', async () => {
    const [redis, subscriber, admin] = [await own.connect(), await own.connect({ maxRetriesPerRequest: null }), await own.connect()];
    const old = await createCoherentCache<string>({ ...options, redis, subscriber });
    await own.server.kill();
    await trusts({ get trustL1() { return subscriber.status === 'reconnecting'; } }, true, 2_000);
    await old.close(); // its UNSUBSCRIBE waits for the connection
    const renewing = createCoherentCache<string>({ ...options, redis, subscriber }); // its SUBSCRIBE too
    await own.server.restart();
    const renewed = await renewing;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await admin.pubsub('NUMSUB', 'invalidate')).toEqual(['invalidate', 1]);
    await renewed.close();
  });

  withRedisServer()('close() of a cache whose subscriber is up resolves once unsubscribed: the connection can run commands again', async () => {
    const [redis, subscriber] = [await own.connect(), await own.connect()];
    const c = await createCoherentCache<string>({ ...options, redis, subscriber });
    await c.close();
    expect(await subscriber.get('anything')).toBeNull(); // out of subscriber mode: no channel left
  });

  withRedisServer()('close() while the subscriber is reconnecting resolves at once, and leaves no subscription behind once it is back', async () => {
    // maxRetriesPerRequest: null, so that ioredis keeps queued commands for as long as the outage lasts
    const [redis, subscriber, admin] = [await own.connect(), await own.connect({ maxRetriesPerRequest: null }), await own.connect()];
    const c = await createCoherentCache<string>({ ...options, redis, subscriber });
    await own.server.kill();
    await trusts({ get trustL1() { return subscriber.status === 'reconnecting'; } }, true, 2_000);
    const started = Date.now();
    await c.close();
    expect(Date.now() - started).toBeLessThan(500);
    expect(c.cache.trustL1).toBe(false);
    await own.server.restart();
    await trusts({ get trustL1() { return subscriber.status === 'ready'; } }, true, 5_000);
    // ioredis subscribes again by itself once back; the closed cache's UNSUBSCRIBE follows
    await vi.waitFor(async () => expect(await admin.pubsub('NUMSUB', 'invalidate')).toEqual(['invalidate', 0]), { timeout: 1_000, interval: 20 });
  });
});
