/**
 * Connecting to Redis (source 3.1) so that a Redis that is down, or goes away,
 * slows the app down a little and never takes it down.
 *
 * - lazyConnect: importing this module opens no socket; the first command does.
 * - retryStrategy: keep reconnecting forever, but back off (capped, with jitter,
 *   so a hundred app instances do not knock on a restarted Redis in lockstep).
 * - commandTimeout: a command waits at most this long, also while it is queued
 *   during a reconnect; the caller can then fall back to the database.
 * - maxRetriesPerRequest: a command gives up after this many failed reconnects.
 * - an 'error' listener: without one, ioredis prints every refused reconnect
 *   as "Unhandled error event".
 */
import { Redis, type RedisOptions } from 'ioredis';

export interface BackoffOptions {
  /** The first delay, in ms. */
  baseMs?: number;
  /** No delay is ever longer than this, in ms. */
  maxMs?: number;
  /** Returns a number in [0, 1): injected by tests, Math.random otherwise. */
  random?: () => number;
}

/**
 * How long to wait before reconnect attempt `times` (1, 2, 3…): "full jitter",
 * a random delay between 0 and min(maxMs, baseMs·2^(times−1)). Never null: the
 * client keeps trying for as long as the process lives.
 */
export function retryDelay(times: number, { baseMs = 50, maxMs = 2_000, random = Math.random }: BackoffOptions = {}): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (times - 1));
  return Math.round(random() * ceiling);
}

export interface CreateRedisOptions {
  /** Where Redis is; default: the REDIS_URL environment variable, then redis://127.0.0.1:6379. */
  url?: string;
  /** How long one command may take, queue time included, before it rejects. */
  commandTimeoutMs?: number;
  maxRetriesPerRequest?: number;
  backoff?: BackoffOptions;
  /** Told about connection errors; default: one console.warn per outage. */
  onError?: (error: Error) => void;
}

export function createRedis({
  url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  commandTimeoutMs = 500,
  maxRetriesPerRequest = 2,
  backoff = {},
  onError,
}: CreateRedisOptions = {}): Redis {
  const options: RedisOptions = {
    lazyConnect: true,
    connectTimeout: 2_000,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest,
    retryStrategy: (times) => retryDelay(times, backoff),
  };
  const redis = new Redis(url, options);
  // A reconnect loop fails every couple of seconds: by default, say so once per outage.
  let warned = false;
  redis.on('ready', () => (warned = false));
  redis.on('error', (error: Error) => {
    if (onError) return onError(error);
    if (!warned) console.warn(`[redis] ${error.message}; the app runs on the database until Redis is back`);
    warned = true;
  });
  return redis;
}

/**
 * A clean shutdown, from whatever state the client is in; resolves once it has
 * ended ('end'), with no timer left behind.
 * - ready: quit() queues QUIT behind the commands already sent, so their
 *   replies still arrive. (Redis 7.2 deprecates QUIT in favour of closing the
 *   connection; ioredis's quit() is still how to close after those replies.)
 * - never connected (lazy): disconnect(). (quit() would start connecting, then
 *   drop the attempt before its socket opens: a detour, not a goodbye.)
 * - connecting: disconnect() drops the socket being opened.
 * - reconnecting: there is no socket, only a timer for the next attempt, and
 *   ioredis ends a client only when a socket closes: disconnect() alone
 *   cancels the timer and leaves it 'reconnecting' forever. So make the
 *   attempt now, and drop its socket.
 */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  // Not events.once(): it rejects on the 'error' of a failed reconnect.
  const ended = new Promise((resolve) => redis.once('end', resolve));
  if (redis.status === 'reconnecting') {
    redis.connect().catch(() => {}); // rejects as we close it: that is the point
    await new Promise(setImmediate); // its socket exists from the next tick
  }
  if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
  else redis.disconnect();
  await ended;
}
