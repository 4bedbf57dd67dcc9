/**
 * Exercise 3 of 3: invalidation by the server, client-side caching (Redis 6+).
 *
 * With `CLIENT TRACKING ON REDIRECT <id>`, Redis remembers which keys a
 * connection has read and, when one changes, sends it on
 * `__redis__:invalidate` to the connection with that id. No writer publishes
 * anything. Build the same L1 on it. Its specs run on a real server only:
 * `npm run lesson 11 -- --redis real`.
 */
import type { Redis } from 'ioredis';
import { todo } from '../../provided/todo.js';
import { TwoTierCache, type TwoTierOptions } from './two-tier.js';

export const INVALIDATE_CHANNEL = '__redis__:invalidate';

export interface TrackedOptions extends Omit<TwoTierOptions, 'announce' | 'fillL1AfterLoad'> {
  /** A connection only this cache uses: the server tracks what it reads. */
  redis: Redis;
}

export interface TrackedCache<T> {
  readonly cache: TwoTierCache<T>;
  /** Stops tracking and closes the subscriber this cache opened (`redis` stays open: it is the caller's). */
  close(): Promise<void>;
}

/** A TwoTierCache whose L1 the server keeps honest. Resolves once tracking is on. */
export async function createTrackedCache<T>(options: TrackedOptions): Promise<TrackedCache<T>> {
  void TwoTierCache;
  void options;
  return todo('11-two-tiers', 'createTrackedCache: a subscriber, CLIENT TRACKING ON REDIRECT, and an L1 that follows it');
}
