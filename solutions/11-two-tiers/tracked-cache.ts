/**
 * A cache on client-side caching that survives its connections: the protocol
 * of exercise 5 (given), and the lifecycle around it.
 *
 * - Tracking belongs to a connection. If either connection drops, L1 is
 *   blind from that moment (not trusted), and the server has forgotten
 *   everything by the time it is back: the subscriber has a new id to
 *   subscribe again with, and tracking goes on again with the current id.
 *   Trusting L1 again starts it empty.
 * - The subscriber is ours: close() ends it, from whatever state it is in,
 *   and resolves once it has ended. A reconnecting ioredis client has no
 *   socket for disconnect() to close: alone, disconnect() leaves it
 *   'reconnecting' for good, and whoever waits for its end waits forever.
 */
import type { Redis } from 'ioredis';
import { invalidationListener, subscribeToInvalidations, trackInto } from '../../provided/tracking.js';
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
  const { redis } = options;
  // Without ioredis's automatic resubscribe: after a reconnect, its new id comes first.
  const subscriber = redis.duplicate({ autoResubscribe: false, lazyConnect: true });
  subscriber.on('error', () => {}); // the commands that fail say so; an unhandled 'error' event would crash
  // Only a read makes the server watch a key: a loaded value stays out of L1.
  const cache = new TwoTierCache<T>({ ...options, fillL1AfterLoad: false });
  subscriber.on('messageBuffer', invalidationListener(cache));

  let redirectId: string | undefined;
  let closing: Promise<void> | undefined;
  const track = async () => {
    if (redirectId !== undefined && !closing) await trackInto(redis, redirectId, cache);
  };
  const listen = async () => {
    redirectId = await subscribeToInvalidations(subscriber);
    await track();
  };
  const distrust = () => void (cache.trustL1 = false);
  const forgetRedirect = () => void ((redirectId = undefined), distrust()); // the next id differs
  const retrack = () => void track().catch(() => {}); // failed: the next 'ready' tries again
  const relisten = () => void listen().catch(() => {});
  redis.on('close', distrust);
  subscriber.on('close', forgetRedirect);

  try {
    await subscriber.connect();
    await listen();
  } catch (error) {
    redis.off('close', distrust);
    await end(subscriber);
    throw new Error(`createTrackedCache: could not turn on CLIENT TRACKING (${(error as Error).message}); it needs Redis 6+, on a real server`, { cause: error });
  }
  redis.on('ready', retrack);
  subscriber.on('ready', relisten);

  const shutdown = async () => {
    redis.off('close', distrust);
    redis.off('ready', retrack);
    cache.trustL1 = false;
    // Not ready, the connection has no tracking left to turn off, and the command would wait for it.
    if (redis.status === 'ready') await redis.client('TRACKING', 'OFF').catch(() => {});
    await end(subscriber);
  };
  return { cache, close: () => (closing ??= shutdown()) };
}

/** Ends a client, from any state, and resolves once it has ended (given in the starter: read why). */
async function end(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  const ended = new Promise((resolve) => client.once('end', resolve));
  // Reconnecting, it has no socket to close: give it one (connect), and close that.
  if (client.status === 'reconnecting') client.connect().catch(() => {});
  client.disconnect();
  await ended;
}
