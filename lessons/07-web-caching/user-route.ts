/**
 * Exercise 2 of 12: the route (source 7.1). GET /users/:id, cache-aside over
 * the database (provided/user-repository.ts), with the client the dependency
 * put on `c.var.redis`.
 *
 * Below is the source's get_user, line for line. Run `npm run lesson 7` to
 * see what a bad id, a missing user and a Redis outage do to it.
 */
import { Hono } from 'hono';
// Given: lesson 03's getJson / setJson, which tell a miss from a cached null, and assertTtl.
import { assertTtl, getJson, setJson } from '../../provided/json-cache.js';
import type { User, UserRepository } from '../../provided/user-repository.js';
import type { RedisEnv } from './redis-dependency.js';

export interface UserRouteOptions {
  users: UserRepository;
  /** Every key starts with it. */
  prefix: string;
  /** How long a user is cached. Default 300. */
  ttlSeconds?: number;
  /** How long "no such user" is cached: short, so that a user created later shows up soon. Default 30. */
  missingTtlSeconds?: number;
  /** Told about every cache failure that was swallowed. */
  onCacheError?: (error: unknown) => void;
}

export function userRoutes({ users, prefix, ttlSeconds = 300 }: UserRouteOptions): Hono<RedisEnv> {
  // TODO: 400 for a bad id before anything is asked; 404 for a missing user,
  // cached for missingTtlSeconds; Redis down or garbage: ask the database.
  return new Hono<RedisEnv>().get('/users/:id', async (c) => {
    const id = Number(c.req.param('id'));
    const cacheKey = `${prefix}user:${id}`;
    const cached = await c.var.redis.get(cacheKey);
    if (cached) return c.json(JSON.parse(cached) as User);

    const user = await users.get(id);
    await c.var.redis.setex(cacheKey, ttlSeconds, JSON.stringify(user));
    return c.json(user);
  });
}
