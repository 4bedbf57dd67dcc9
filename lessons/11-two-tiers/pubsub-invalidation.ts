/**
 * Exercise 2 of 3: invalidation by message. On every write, publish the key on
 * a channel; every instance subscribes (on a connection of its own) and drops
 * that key from its L1. Pub/sub is at most once: survive a lost subscription.
 *
 * Below, the cache is built but nobody hears anything: every instance keeps
 * its old L1 for the whole TTL. Run `npm run lesson 11`.
 */
import type { Redis } from 'ioredis';
import { todo } from '../../provided/todo.js';
import { TwoTierCache, type TwoTierOptions } from './two-tier.js';

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
  /** Stops listening (the connections stay open: they are the caller's). */
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
  // TODO: refuse a subscriber that is the command connection, and an empty channel.
  // TODO: announce each write on the channel; listen on the subscriber; skip your
  // own messages; distrust L1 while the subscriber is down, and clear it when it is back.
  const cache = new TwoTierCache<T>(options);
  return {
    cache,
    instanceId: 'TODO',
    async close() {},
  };
}
