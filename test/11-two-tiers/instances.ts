import { afterEach, expect, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { createCoherentCache, type CoherentCache } from '@kata/11-two-tiers/pubsub-invalidation.js';
import type { RedisNamespace } from '../support/redis.js';
import { useConnections } from '../10-stampede/connections.js';

/**
 * App instances for the pub/sub specs: each with its own command connection
 * and its own subscriber on the shared Redis, closed (cache, then
 * connections) when the test ends.
 */
export function useInstances(ns: RedisNamespace) {
  const connections = useConnections(ns);
  const opened: Array<CoherentCache<unknown>> = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
  });
  let count = 0;
  return async function instance<T>(channel = ns.key('invalidate')) {
    const [redis, subscriber] = (await connections(2)) as [Redis, Redis];
    const coherent = await createCoherentCache<T>({ redis, subscriber, channel, l1Max: 100, l1TtlMs: 60_000, l2TtlSeconds: 60 });
    opened.push(coherent as CoherentCache<unknown>);
    return { ...coherent, redis, subscriber, channel, name: `instance ${++count}`, connections };
  };
}

/**
 * Resolves with the next message `subscriber` receives on `channel`, once every
 * listener registered before this one has run; rejects after `withinMs` (a
 * message on one machine takes a few ms: a longer wait means none is coming).
 */
export function nextMessage(subscriber: Redis, channel: string, withinMs = 1_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscriber.off('message', listener);
      reject(new Error(`no message on ${channel} within ${withinMs} ms: was anything published there?`));
    }, withinMs);
    const listener = (from: string, message: string) => {
      if (from !== channel) return;
      clearTimeout(timer);
      subscriber.off('message', listener);
      resolve(message);
    };
    subscriber.on('message', listener);
  });
}

/** Waits (at most `withinMs`) until the cache trusts its L1 as `expected`. */
export async function trusts(cache: { trustL1: boolean }, expected: boolean, withinMs = 5_000): Promise<void> {
  await vi.waitFor(() => expect(cache.trustL1).toBe(expected), { timeout: withinMs, interval: 10 });
}
