import { describe, expect, it, vi } from 'vitest';
import { createCoherentCache, invalidationMessage } from '@kata/11-two-tiers/pubsub-invalidation.js';
import { onRealRedis, redisUrl, useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';
import { writeFromAnotherProcess } from './child-writer.js';
import { nextMessage, trusts, useInstances } from './instances.js';

const ns = useRedis();
const instance = useInstances(ns);

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

  it('publishes on the command connection, one message per write, naming the sender and the key', async () => {
    const a = await instance<string>();
    const [listener] = await a.connections(1);
    await listener!.subscribe(a.channel);
    const delivered = nextMessage(listener!, a.channel);
    await a.cache.set(ns.key('k'), 'v');
    expect(await delivered).toBe(invalidationMessage(a.instanceId, ns.key('k')));
    expect(invalidationMessage('x', 'k')).not.toBe(invalidationMessage('y', 'k'));
    expect(invalidationMessage('x', 'k')).not.toBe(invalidationMessage('x', 'j'));
  });

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

  it('drops only the key named, and clears all of L1 on a message it did not write: anything may have changed', async () => {
    const a = await instance<string>();
    await a.cache.get(ns.key('a'), async () => 'a');
    await a.cache.get(ns.key('b'), async () => 'b');
    a.subscriber.emit('message', a.channel, invalidationMessage('other', ns.key('a')));
    expect([a.cache.hasL1(ns.key('a')), a.cache.hasL1(ns.key('b'))]).toEqual([false, true]);
    a.subscriber.emit('message', a.channel, 'not a message of ours');
    expect(a.cache.hasL1(ns.key('b'))).toBe(false);
  });
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
    await trusts(b.cache, true, 1_000);
    expect(b.cache.hasL1(key)).toBe(false);
  });

  it('close() stops listening: no L1 is used afterwards, and the subscriber keeps none of its listeners', async () => {
    const a = await instance<string>();
    const before = ['message', 'close', 'ready'].map((event) => a.subscriber.listenerCount(event));
    await a.close();
    expect(a.cache.trustL1).toBe(false);
    const after = ['message', 'close', 'ready'].map((event) => a.subscriber.listenerCount(event));
    expect(after.every((count, i) => count < before[i]!)).toBe(true);
  });
});

describe('createCoherentCache refuses what cannot work', () => {
  it('refuses the command connection as the subscriber (subscribed, it could run no GET), and an empty channel: TypeErrors naming them', async () => {
    const [redis, subscriber] = [await ns.connect(), await ns.connect()];
    const options = { l1Max: 1, l1TtlMs: 1, l2TtlSeconds: 1 };
    await expectRefusal(() => createCoherentCache({ ...options, redis, subscriber: redis, channel: 'c' }), TypeError, 'subscriber');
    await expectRefusal(() => createCoherentCache({ ...options, redis, subscriber, channel: '' }), TypeError, 'channel');
  });
});
