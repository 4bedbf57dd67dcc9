/**
 * Exercise 1 of 12: the dependency (source 7.1). How a handler gets its Redis.
 *
 * Below is the source's get_redis as Hono middleware: `Depends(get_redis)`
 * runs for every request, and get_redis builds a new client every time.
 * Run `npm run lesson 7` and count the connections.
 */
import type { MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
// Given: lesson 03's clean shutdown, whatever state the client is in.
import { closeRedis } from '../../provided/connection.js';

/** What handlers behind the middleware can read: `c.var.redis`, typed. */
export type RedisEnv = { Variables: { redis: Redis } };

export interface RedisDependency {
  /** Sets `c.var.redis` to the process's one client, creating it on first use. */
  middleware: MiddlewareHandler<RedisEnv>;
  /** Closes the client, if one was made. Call it on shutdown, after the server stopped taking requests. */
  close(): Promise<void>;
}

/** `create` is called at most once: by the first request, not at import. */
export function redisDependency(create: () => Redis): RedisDependency {
  return {
    // TODO: one client for the whole process, made by the first request that
    // needs it; and after close(), no new one (answer 503: the app is stopping).
    middleware: async (c, next) => {
      c.set('redis', create()); // def get_redis(): return redis.Redis(...)
      await next();
    },
    // TODO: close what was made.
    async close() {},
  };
}
