/**
 * Exercise 1 of 5: a connection that survives a Redis that is down (source 3.1).
 *
 * The source connects with `redis.Redis(host='localhost', port=6379, db=0)` and
 * every default: a fixed address, a socket opened at import, and commands that
 * wait for a dead Redis for as long as the reconnects take. Build the client
 * the README describes instead.
 */
import { Redis } from 'ioredis';
import { todo } from '../../provided/todo.js';

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
export function retryDelay(times: number, options: BackoffOptions = {}): number {
  // TODO: defaults baseMs 50, maxMs 2000, random Math.random.
  return todo('03-redis-caching', `retryDelay(${times}, ${JSON.stringify(options)}): capped exponential backoff with jitter`);
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

export function createRedis(options: CreateRedisOptions = {}): Redis {
  // TODO: the source's client is `new Redis({ host: 'localhost', port: 6379, db: 0 })`.
  // Read REDIS_URL; set lazyConnect, commandTimeout, maxRetriesPerRequest and a
  // retryStrategy built on retryDelay; and listen for 'error'.
  return todo('03-redis-caching', `createRedis(${JSON.stringify(options.url ?? '')}): a client that survives a dead Redis`);
}

/** A clean shutdown: replies already on their way still arrive; a client that never connected is not made to. */
export async function closeRedis(redis: Redis): Promise<void> {
  // TODO: what does quit() do to a lazy client that never connected (listen for 'connecting')?
  // Look at redis.status. And resolve only once the client has ended.
  await redis.quit();
}
