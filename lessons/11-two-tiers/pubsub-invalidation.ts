/**
 * Exercise 4 of 6: invalidation by message. On every write, publish the key on
 * a channel; every instance subscribes (on a connection of its own) and drops
 * that key from its L1. Pub/sub is at most once: survive a lost subscription.
 * The TwoTierCache of exercise 3 is given (provided/two-tier.ts).
 *
 * Below, nothing is built yet. Run `npm run lesson 11 pubsub-invalidation`.
 */
import type { Redis } from 'ioredis';
import { todo } from '../../provided/todo.js';
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

/** The message a write publishes: which instance wrote, and which key (a key may hold any character). */
export function invalidationMessage(instanceId: string, key: string): string {
  void instanceId;
  void key;
  return todo('11-two-tiers', 'invalidationMessage: a message that names the sender and the key');
}

/** A TwoTierCache whose L1 follows every instance's writes, through the channel. Resolves once subscribed. */
export async function createCoherentCache<T>(options: CoherentOptions): Promise<CoherentCache<T>> {
  const { subscriber, channel, redis } = options;
  if (subscriber === redis) throw new TypeError('createCoherentCache: the subscriber must be a connection of its own (subscribed, it can run no other command)');
  if (typeof channel !== 'string' || channel === '') throw new TypeError(`createCoherentCache: the channel must be a non-empty string, got ${JSON.stringify(channel)}`);
  void TwoTierCache;
  return todo('11-two-tiers', 'createCoherentCache: publish every write, listen on a connection of its own, survive a lost subscription');
}
