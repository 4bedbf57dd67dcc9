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
import { once } from 'node:events';
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
 * A clean shutdown: on a live connection, QUIT lets Redis answer every command
 * already sent. Any other client has nobody to say goodbye to: a lazy one that
 * never connected (quit() would open a socket just to close it), or one whose
 * Redis is gone (quit() would wait for it). Resolves once the client has ended.
 */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') return redis.disconnect();
  const ended = once(redis, 'end');
  await redis.quit().catch(() => redis.disconnect());
  await ended;
}
