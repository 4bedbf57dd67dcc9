/**
 * The dependency (source 7.1): how a handler gets its Redis client.
 *
 * FastAPI's `Depends(get_redis)` runs get_redis() for every request, and the
 * source's get_redis builds a new client each time: a new TCP connection per
 * request, never closed. Here the process has one client, created on the
 * first request that needs it, handed to every handler on `c.var.redis`
 * (typed through RedisEnv), and closed once, on shutdown.
 */
import type { MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
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
  let client: Redis | undefined;
  let closed = false;
  return {
    middleware: async (c, next) => {
      // Shutting down: say so (503, try again elsewhere) rather than open a connection nobody will close.
      if (closed) return c.text('shutting down: the Redis client is closed', 503);
      client ??= create();
      c.set('redis', client);
      await next();
    },
    async close() {
      closed = true;
      if (client !== undefined) await closeRedis(client);
    },
  };
}
