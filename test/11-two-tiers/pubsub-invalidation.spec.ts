import { afterEach, describe, expect, it, vi } from 'vitest';
import { Redis as RealRedis, type Redis } from 'ioredis';
import { startRedisServer, withRedisServer, type ThrowawayRedis } from '../support/redis-server.js';
import { createCoherentCache, invalidationMessage, type CoherentCache } from '@kata/11-two-tiers/pubsub-invalidation.js';
import { onRealRedis, redisUrl, useRedis } from '../support/redis.js';
import { writeFromAnotherProcess } from './child-writer.js';

const ns = useRedis();
const opened: Array<CoherentCache<unknown>> = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

/** One app instance: its own command connection and its own subscriber, on the shared Redis. */
let instances = 0;
async function instance<T>(channel = ns.key('invalidate')) {
  const redis = await ns.connect();
  const subscriberName = `cachelings-test-subscriber-${process.pid}-${++instances}-${Date.now()}`;
  const subscriber = await ns.connect({ connectionName: subscriberName });
  const coherent = await createCoherentCache<T>({ redis, subscriber, channel, l1Max: 100, l1TtlMs: 60_000, l2TtlSeconds: 60 });
  opened.push(coherent as CoherentCache<unknown>);
  return { ...coherent, redis, subscriber, subscriberName, channel };
}

/** Resolves when `subscriber` has received the next message on `channel` (and every listener before this one has run). */
function nextMessage(subscriber: Redis, channel: string): Promise<string> {
  return new Promise((resolve) => {
    const listener = (from: string, message: string) => {
      if (from !== channel) return;
      subscriber.off('message', listener);
      resolve(message);
    };
    subscriber.on('message', listener);
  });
}

describe('createCoherentCache: every instance drops a key another one wrote', () => {
  it('B reads the new value right after A sets it, although B had the old one in L1 for a minute more', async () => {
    const a = await instance<string>();
    const b = await instance<string>();
    const key = ns.key('user', 1);
    await b.cache.get(key, async () => 'old');
    expect(b.cache.hasL1(key)).toBe(true);
    const delivered = nextMessage(b.subscriber, b.channel);
    await a.cache.set(key, 'new');
    await delivered;
    expect(b.cache.hasL1(key)).toBe(false);
    expect(await b.cache.get(key, async () => 'loader')).toBe('new');
  });

  it('B forgets a key A deleted', async () => {
    const a = await instance<string>();
    const b = await instance<string>();
    const key = ns.key('user', 2);
    await b.cache.get(key, async () => 'v');
    const delivered = nextMessage(b.subscriber, b.channel);
    await a.cache.delete(key);
    await delivered;
    expect(await b.cache.get(key, async () => 'reloaded')).toBe('reloaded');
  });

  it('publishes on the shared connection, one message per write, naming the key', async () => {
    const a = await instance<string>();
    const listener = await ns.connect();
    const heard: string[] = [];
    listener.on('message', (_channel: string, message: string) => heard.push(message));
    await listener.subscribe(a.channel);
    const delivered = nextMessage(listener, a.channel);
    await a.cache.set(ns.key('k'), 'v');
    await delivered;
    expect(heard).toEqual([invalidationMessage(a.instanceId, ns.key('k'))]);
  });

  it('carries keys with any character: quotes, newlines, glob characters, 1 MB of text', async () => {
    const a = await instance<string>();
    const b = await instance<string>();
    for (const key of [ns.key('a"b\\c'), ns.key('line\nbreak'), ns.key('*?[x]'), ns.key('x'.repeat(1_000_000))]) {
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
});

describe('createCoherentCache across processes', () => {
  onRealRedis('separate processes meet on a real server only: ioredis-mock lives inside one process')(
    'B drops its L1 entry when an instance in another process writes the key',
    async () => {
      const b = await instance<string>();
      const key = ns.key('user', 1);
      await b.cache.get(key, async () => 'old');
      await writeFromAnotherProcess('pubsub', redisUrl, key, b.channel, 'from another process');
      await vi.waitFor(() => expect(b.cache.hasL1(key)).toBe(false));
      expect(await b.cache.get(key, async () => 'loader')).toBe('from another process');
    },
    20_000,
  );
});

describe('createCoherentCache reads every message with care', () => {
  it('skips its own messages (its write already dropped the key), and obeys any other instance', async () => {
    const a = await instance<string>();
    const key = ns.key('k');
    await a.cache.get(key, async () => 'v');
    a.subscriber.emit('message', a.channel, invalidationMessage(a.instanceId, key));
    expect(a.cache.hasL1(key)).toBe(true);
    a.subscriber.emit('message', a.channel, invalidationMessage('another instance', key));
    expect(a.cache.hasL1(key)).toBe(false);
  });

  it('drops only the key named, not the rest of L1', async () => {
    const a = await instance<string>();
    await a.cache.get(ns.key('a'), async () => 'a');
    await a.cache.get(ns.key('b'), async () => 'b');
    a.subscriber.emit('message', a.channel, invalidationMessage('other', ns.key('a')));
    expect([a.cache.hasL1(ns.key('a')), a.cache.hasL1(ns.key('b'))]).toEqual([false, true]);
  });

  it.each(['not json', '', '[1,2]', '[1,"k"]', '["id",2]', '["only one"]', '["id","k","extra"]', '{"key":"k"}', '["id",""]', 'null'])(
    'clears all of L1 on a message it did not write (%j): anything may have changed',
    async (message) => {
      const a = await instance<string>();
      await a.cache.get(ns.key('a'), async () => 'a');
      await a.cache.get(ns.key('b'), async () => 'b');
      expect(() => a.subscriber.emit('message', a.channel, message)).not.toThrow();
      expect(a.cache.hasL1(ns.key('a')) || a.cache.hasL1(ns.key('b'))).toBe(false);
    },
  );
});

describe('createCoherentCache survives a lost subscription (pub/sub is at most once)', () => {
  it('uses no L1 while the subscriber is down, and starts from an empty L1 once subscribed again', async () => {
    const b = await instance<string>();
    const key = ns.key('k');
    await b.cache.get(key, async () => 'v');
    b.subscriber.emit('close'); // what ioredis emits when the connection drops
    expect(b.cache.trustL1).toBe(false);
    await b.cache.get(key, async () => 'loader');
    expect(b.cache.stats).toEqual({ l1Hits: 0, l2Hits: 1, misses: 1 });
    b.subscriber.emit('ready'); // ... and when it is back
    await vi.waitFor(() => expect(b.cache.trustL1).toBe(true));
    expect(b.cache.hasL1(key)).toBe(false);
  });

  onRealRedis('ioredis-mock has no CLIENT KILL')('after Redis drops the subscriber, B still sees a write made while it was away', async () => {
    const a = await instance<string>();
    const b = await instance<string>();
    const key = ns.key('k');
    await b.cache.get(key, async () => 'old');
    const clients = String(await ns.redis.call('CLIENT', 'LIST', 'TYPE', 'pubsub')).split('\n');
    const subscriberId = clients.find((line) => line.includes(` name=${b.subscriberName} `))?.match(/id=(\d+)/)?.[1];
    expect(subscriberId, 'B subscriber connection in CLIENT LIST').toBeDefined();
    await ns.redis.client('KILL', 'ID', subscriberId!);
    await vi.waitFor(() => expect(b.cache.trustL1).toBe(false));
    await a.cache.set(key, 'new'); // published while B may not be listening: lost
    await vi.waitFor(() => expect(b.cache.trustL1).toBe(true), { timeout: 5_000 });
    expect(await b.cache.get(key, async () => 'loader')).toBe('new');
  });

  it('close() stops listening: no L1 is used afterwards, and the subscriber hears nothing more', async () => {
    const a = await instance<string>();
    await a.cache.get(ns.key('k'), async () => 'v');
    await a.close();
    expect(a.cache.trustL1).toBe(false);
    expect(a.subscriber.listenerCount('message')).toBe(0);
    expect(a.subscriber.listenerCount('close')).toBe(0);
    expect(a.subscriber.listenerCount('ready')).toBe(0);
  });

  it('close() during a reconnect stays closed: the subscription that comes back late does not trust L1 again', async () => {
    const a = await instance<string>();
    a.subscriber.emit('close');
    a.subscriber.emit('ready'); // subscribing again has started...
    await a.close(); // ... and the app shuts the cache down before it answers
    await a.subscriber.subscribe(ns.key('after-close')); // one more round trip on that connection: the late answer has arrived
    expect(a.cache.trustL1).toBe(false);
  });
});

describe('createCoherentCache refuses what cannot work', () => {
  it('refuses the command connection as the subscriber (subscribed, it could run no GET)', async () => {
    const redis = await ns.connect();
    await expect(createCoherentCache({ redis, subscriber: redis, channel: 'c', l1Max: 1, l1TtlMs: 1, l2TtlSeconds: 1 })).rejects.toThrow(/own/);
  });

  it.each([
    ['an empty channel', ''],
    ['a channel that is not a string', 42],
  ])('refuses %s, naming the channel', async (_what, channel) => {
    const redis = await ns.connect();
    const subscriber = await ns.connect();
    const creating = createCoherentCache({ redis, subscriber, channel: channel as string, l1Max: 1, l1TtlMs: 1, l2TtlSeconds: 1 });
    await expect(creating).rejects.toThrow(TypeError);
    await expect(creating).rejects.toThrow(/channel/);
  });
});

describe('createCoherentCache when Redis restarts', () => {
  let server: ThrowawayRedis | undefined;
  const clients: Redis[] = [];
  const connect = () => {
    const client = new RealRedis(server!.url, { retryStrategy: () => 50, maxRetriesPerRequest: 1 });
    client.on('error', () => {});
    clients.push(client);
    return client;
  };
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.disconnect());
    await server?.kill();
  });

  withRedisServer()('B serves the value A wrote just after the restart, although its message may have been lost', async () => {
    server = await startRedisServer();
    const options = { l1Max: 10, l1TtlMs: 60_000, l2TtlSeconds: 60, channel: 'invalidate' };
    const a = await createCoherentCache<string>({ ...options, redis: connect(), subscriber: connect() });
    const b = await createCoherentCache<string>({ ...options, redis: connect(), subscriber: connect() });
    await b.cache.get('k', async () => 'before');
    await server.restart();
    await vi.waitFor(() => expect(b.cache.trustL1).toBe(false));
    await vi.waitFor(() => expect(clients.every((c) => c.status === 'ready')).toBe(true), { timeout: 5_000 });
    await a.cache.set('k', 'after'); // B may not have subscribed again yet
    await vi.waitFor(() => expect(b.cache.trustL1).toBe(true), { timeout: 5_000 });
    expect(await b.cache.get('k', async () => 'loader')).toBe('after');
    await Promise.all([a.close(), b.close()]);
  });
});
