/**
 * Invalidation by the server: client-side caching (Redis 6+).
 *
 * With `CLIENT TRACKING ON`, Redis remembers which keys a connection has read
 * and, when one of them changes (whoever changes it, however: SET, DEL,
 * expiry, eviction), sends that key on `__redis__:invalidate`. On RESP2 the
 * message goes to another connection, subscribed to that channel, named with
 * `REDIRECT <its client id>`. No writer publishes anything.
 *
 * Three things decide whether it holds:
 * - Tracking belongs to a connection. The cache reads through its own, and a
 *   reconnect (of either connection) loses it: turn it on again, clear L1.
 * - The server forgets a key once it has sent its invalidation: only a read
 *   makes it watch the key again. So L1 is filled only from a GET, never with
 *   what the loader returned (that write was not a read).
 * - Our own writes need no message (NOLOOP): set() drops the key here itself.
 * - One message may carry many keys, and a null one means "everything"
 *   (FLUSHDB, FLUSHALL).
 */
import type { Redis } from 'ioredis';
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
  const { redis } = options;
  // Ours alone, and without ioredis's automatic resubscribe: after a reconnect we
  // need its new id before it subscribes again (a subscribed connection runs no CLIENT ID).
  const subscriber = redis.duplicate({ autoResubscribe: false, lazyConnect: true });
  subscriber.on('error', () => {}); // reported through the commands that fail, not as an unhandled event
  const cache = new TwoTierCache<T>({ ...options, fillL1AfterLoad: false });

  let redirectId: string | undefined;
  let closed = false;
  const track = async () => {
    if (redirectId === undefined || closed) return;
    // NOLOOP: not our own writes (set() already dropped the key here; the message
    // would only arrive late and drop a newer value we read since).
    await redis.client('TRACKING', 'ON', 'REDIRECT', redirectId, 'NOLOOP');
    cache.trustL1 = true; // clears L1: nothing it held is watched any more
  };
  const listen = async () => {
    redirectId = String(await subscriber.client('ID'));
    await subscriber.subscribe(INVALIDATE_CHANNEL);
    await track();
  };

  subscriber.on('messageBuffer', (channel: Buffer, keys: unknown) => {
    if (channel.toString() !== INVALIDATE_CHANNEL) return;
    if (!Array.isArray(keys)) return cache.clearL1(); // null: the whole database was flushed
    for (const key of keys) cache.dropL1(String(key));
  });
  // Either connection down: L1 is blind until tracking is on again.
  const distrust = () => {
    cache.trustL1 = false;
  };
  const retrack = () => void track().catch(() => {}); // failed: the next 'ready' tries again
  const relisten = () => void listen().catch(() => {});
  // A subscriber that reconnects gets a new id: until it has one, there is nobody to redirect to.
  const forgetRedirect = () => {
    redirectId = undefined;
    distrust();
  };
  redis.on('close', distrust);
  subscriber.on('close', forgetRedirect);

  try {
    await subscriber.connect();
    await listen();
  } catch (error) {
    subscriber.disconnect();
    redis.off('close', distrust);
    throw new Error(
      `createTrackedCache: could not turn on CLIENT TRACKING (${(error as Error).message}). ` +
        'It needs Redis 6 or newer, and a real server: ioredis-mock has no CLIENT command (run with --redis real).',
      { cause: error },
    );
  }
  redis.on('ready', retrack);
  subscriber.on('ready', relisten);

  return {
    cache,
    async close() {
      closed = true;
      redis.off('close', distrust);
      redis.off('ready', retrack);
      subscriber.off('ready', relisten);
      cache.trustL1 = false;
      await redis.client('TRACKING', 'OFF').catch(() => {});
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
