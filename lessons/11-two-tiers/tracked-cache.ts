/**
 * Exercise 6 of 6: a cache on client-side caching that survives its
 * connections. The protocol of exercise 5 is given (provided/tracking.ts):
 * `subscribeToInvalidations`, `trackInto`, `invalidationListener`.
 *
 * Below, nothing is built yet but end(), which ends a client from any state
 * (read why). Its specs need a real server: they start a
 * redis-server of their own when one is installed, or use yours with
 * `npm run lesson 11 tracked-cache -- --redis real`.
 */
import type { Redis } from 'ioredis';
import { todo } from '../../provided/todo.js';
import { TwoTierCache, type TwoTierOptions } from '../../provided/two-tier.js';

export interface TrackedOptions extends Omit<TwoTierOptions, 'announce' | 'fillL1AfterLoad'> {
  /** A connection only this cache uses: the server tracks what it reads. */
  redis: Redis;
}

export interface TrackedCache<T> {
  readonly cache: TwoTierCache<T>;
  /** Stops tracking and ends the subscriber this cache opened, whatever its state (`redis` stays open: it is the caller's). */
  close(): Promise<void>;
}

/** A TwoTierCache whose L1 the server keeps honest. Resolves once tracking is on. */
export async function createTrackedCache<T>(options: TrackedOptions): Promise<TrackedCache<T>> {
  void TwoTierCache;
  void options;
  void end; // given, below: yours to use
  return todo('11-two-tiers', 'createTrackedCache: a subscriber of its own, tracking on, again after a reconnect, and a close() that ends it');
}

/** Ends a client, from any state, and resolves once it has ended. */
async function end(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  const ended = new Promise((resolve) => client.once('end', resolve));
  // Reconnecting, it has no socket to close: give it one (connect), and close that.
  if (client.status === 'reconnecting') client.connect().catch(() => {});
  client.disconnect();
  await ended;
}
