/**
 * Invalidation by message: every write publishes its key, every instance
 * listens and drops that key from its L1.
 *
 * Pub/sub is at most once. A message published while an instance's
 * subscription is down is gone for good, so when the subscription comes back
 * the instance cannot know what changed: it clears its whole L1. While it is
 * down, L1 is not used at all. (Redis Streams would give at least once: a
 * consumer reads on from the last id it saw. The price is a stream to trim.)
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { TwoTierCache, type TwoTierOptions } from '../../provided/two-tier.js';

export interface CoherentOptions extends Omit<TwoTierOptions, 'announce'> {
  /** A connection only for SUBSCRIBE: once subscribed, Redis accepts no other command on it. */
  subscriber: Redis;
  /** The channel every instance of the app shares. */
  channel: string;
}

export interface CoherentCache<T> {
  readonly cache: TwoTierCache<T>;
  /** This instance's name in its messages, so that it can skip its own. */
  readonly instanceId: string;
  /** Stops listening, whatever state the subscriber is in (the connections stay open: they are the caller's). */
  close(): Promise<void>;
}

/** A message is `["<instance id>", "<key>"]` in JSON: a key may hold any character. */
export function invalidationMessage(instanceId: string, key: string): string {
  return JSON.stringify([instanceId, key]);
}

/** A TwoTierCache whose L1 follows every instance's writes, through the channel. Resolves once subscribed. */
export async function createCoherentCache<T>(options: CoherentOptions): Promise<CoherentCache<T>> {
  const { subscriber, channel, redis } = options;
  if (subscriber === redis) throw new TypeError('createCoherentCache: the subscriber must be a connection of its own (subscribed, it can run no other command)');
  if (typeof channel !== 'string' || channel === '') throw new TypeError(`createCoherentCache: the channel must be a non-empty string, got ${JSON.stringify(channel)}`);

  const instanceId = randomUUID();
  const cache = new TwoTierCache<T>({ ...options, announce: (key) => redis.publish(channel, invalidationMessage(instanceId, key)) });

  const onMessage = (from: string, message: string) => {
    if (from !== channel) return;
    const parsed = parse(message);
    if (parsed === undefined) return cache.clearL1(); // a message we did not write: the safe reading is "anything changed"
    if (parsed[0] !== instanceId) cache.dropL1(parsed[1]); // our own write already dropped the key here
  };
  // Down: nothing reaches us, so L1 cannot be trusted. Back and subscribed again: trust it, which
  // clears it (what was published meanwhile is lost). A failure waits for the next 'ready'.
  const onClose = () => void (cache.trustL1 = false);
  let closed = false;
  const onReady = () => void subscriber.subscribe(channel).then(() => void (closed || (cache.trustL1 = true)), () => {});
  subscriber.on('message', onMessage);
  subscriber.on('close', onClose);
  subscriber.on('ready', onReady);
  await subscriber.subscribe(channel);

  return {
    cache,
    instanceId,
    async close() {
      closed = true;
      subscriber.off('message', onMessage);
      subscriber.off('close', onClose);
      subscriber.off('ready', onReady);
      cache.trustL1 = false;
      // Down, the UNSUBSCRIBE waits in ioredis's queue, and goes out when the connection is back,
      // just after ioredis's own resubscribe: send it, but do not wait. Closed, it fails at once.
      const unsubscribed = subscriber.unsubscribe(channel).catch(() => {});
      if (!['connecting', 'connect', 'reconnecting'].includes(subscriber.status)) await unsubscribed;
    },
  };
}

/** The sender and the key of a message, if it is one this module could have written (else undefined). */
function parse(message: string): [string, string] | undefined {
  try {
    const [sender, key] = JSON.parse(message); // throws for what is not JSON, or not a list
    if (key !== '' && invalidationMessage(String(sender), String(key)) === message) return [sender, key];
  } catch {
    // not ours: handled below
  }
  return undefined;
}
