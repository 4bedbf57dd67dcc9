/**
 * Invalidation by the server: client-side caching (Redis 6+), the protocol.
 *
 * With `CLIENT TRACKING ON`, Redis remembers which keys a connection has read
 * and, when one of them changes (whoever changes it, however: SET, DEL,
 * expiry, eviction), sends that key on `__redis__:invalidate`. ioredis speaks
 * RESP2, where a connection cannot receive a push between two replies: the
 * message goes to another connection, subscribed to that channel, named with
 * `REDIRECT <its client id>`. No writer publishes anything.
 *
 * - Ask the subscriber its CLIENT ID before it subscribes: a subscribed
 *   connection runs no CLIENT ID.
 * - NOLOOP: not our own writes. set() dropped the key here already; the echo
 *   would arrive late and drop a newer value read since.
 * - One message may carry many keys, and a null one means "everything"
 *   (FLUSHDB, FLUSHALL).
 * - The server watches a key from a read until its invalidation, once: so L1
 *   is filled only from a GET, never with what the loader returned
 *   (fillL1AfterLoad: false; exercise 6 builds the cache that way).
 */
import type { Redis } from 'ioredis';
import type { TwoTierCache } from '../../provided/two-tier.js';

export const INVALIDATE_CHANNEL = '__redis__:invalidate';

/** Subscribes `subscriber` to the invalidations, and answers its client id (asked first: once subscribed, it could not answer). */
export async function subscribeToInvalidations(subscriber: Redis): Promise<string> {
  const id = String(await subscriber.client('ID'));
  await subscriber.subscribe(INVALIDATE_CHANNEL);
  return id;
}

/** Turns tracking on for what `redis` reads, its invalidations sent to the connection `redirectId`; then trusts L1, from empty. */
export async function trackInto<T>(redis: Redis, redirectId: string, cache: TwoTierCache<T>): Promise<void> {
  await redis.client('TRACKING', 'ON', 'REDIRECT', redirectId, 'NOLOOP');
  cache.trustL1 = true; // clears L1: nothing it held before is watched
}

/** The subscriber's 'messageBuffer' listener: drops the keys an invalidation names, or all of L1 when it names none. */
export function invalidationListener<T>(cache: TwoTierCache<T>): (channel: Buffer, keys: unknown) => void {
  return (channel, keys) => {
    if (channel.toString() !== INVALIDATE_CHANNEL) return;
    if (!Array.isArray(keys)) return cache.clearL1(); // null: the whole database was flushed
    for (const key of keys) cache.dropL1(String(key));
  };
}
