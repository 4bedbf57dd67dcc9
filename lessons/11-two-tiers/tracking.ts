/**
 * Exercise 5 of 6: invalidation by the server, client-side caching (Redis 6+):
 * the protocol.
 *
 * With `CLIENT TRACKING ON REDIRECT <id>`, Redis remembers which keys a
 * connection has read and, when one changes, sends it on
 * `__redis__:invalidate` to the connection with that id. Write the three
 * pieces exercise 6 puts together. Their specs need a real server: they start
 * a redis-server of their own when one is installed, or use yours with
 * `npm run lesson 11 tracking -- --redis real`.
 */
import type { Redis } from 'ioredis';
import { todo } from '../../provided/todo.js';
import type { TwoTierCache } from '../../provided/two-tier.js';

export const INVALIDATE_CHANNEL = '__redis__:invalidate';

/** Subscribes `subscriber` to the invalidations, and answers its client id (asked first: once subscribed, it could not answer). */
export async function subscribeToInvalidations(subscriber: Redis): Promise<string> {
  void subscriber;
  return todo('11-two-tiers', 'subscribeToInvalidations: CLIENT ID, then SUBSCRIBE __redis__:invalidate');
}

/** Turns tracking on for what `redis` reads, its invalidations sent to the connection `redirectId`; then trusts L1, from empty. */
export async function trackInto<T>(redis: Redis, redirectId: string, cache: TwoTierCache<T>): Promise<void> {
  void [redis, redirectId, cache];
  return todo('11-two-tiers', 'trackInto: CLIENT TRACKING ON REDIRECT <id> NOLOOP, then trust L1');
}

/** The subscriber's 'messageBuffer' listener: drops the keys an invalidation names, or all of L1 when it names none. */
export function invalidationListener<T>(cache: TwoTierCache<T>): (channel: Buffer, keys: unknown) => void {
  void cache;
  return todo('11-two-tiers', 'invalidationListener: drop the keys of a message, or clear L1 for null');
}
