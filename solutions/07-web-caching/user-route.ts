/**
 * The route (source 7.1): GET /users/:id, cache-aside over the database, with
 * the client the dependency put on `c.var.redis`.
 *
 * - A bad id is the client's mistake: 400, before Redis or the database is asked.
 * - A user who does not exist is a 404, and that answer is cached too, briefly
 *   (negative caching): a crawler asking for ids 1 to 1,000,000 costs each id
 *   one query per missingTtlSeconds, not one per request. It is cached as
 *   null, which lesson 03's getJson tells apart from a miss.
 * - Redis down, slow or holding garbage costs a query, never the request.
 */
import { Hono } from 'hono';
import { assertTtl, getJson, setJson, type CacheRead } from '../../provided/json-cache.js';
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

/** The database's ids: 1 to 2^53 − 1, written plainly (no "01", "1e3", "0x1", " 1"). */
const USER_ID = /^[1-9]\d{0,15}$/;

export function userRoutes({ users, prefix, ttlSeconds = 300, missingTtlSeconds = 30, onCacheError = () => {} }: UserRouteOptions): Hono<RedisEnv> {
  // Now, not at the first request: inside the try below, setJson's RangeError would be swallowed as a cache error.
  assertTtl(ttlSeconds, 'userRoutes ttlSeconds');
  assertTtl(missingTtlSeconds, 'userRoutes missingTtlSeconds');
  /** Tells onCacheError; a listener that throws does not turn a cache failure into an error page. */
  const report = (error: unknown) => {
    try {
      onCacheError(error);
    } catch {
      // the database answers either way
    }
  };
  return new Hono<RedisEnv>().get('/users/:id', async (c) => {
    const raw = c.req.param('id');
    const id = Number(raw);
    if (!USER_ID.test(raw) || !Number.isSafeInteger(id)) {
      return c.json({ error: `a user id is a positive whole number, got "${raw}"` }, 400);
    }
    const key = `${prefix}user:${id}`;
    let cached: CacheRead<User | null> = { hit: false };
    try {
      cached = await getJson<User | null>(c.var.redis, key);
    } catch (error) {
      report(error); // a cache that cannot answer is a miss
    }
    // What is under the key must be this user or null; anything else (another program's JSON) is a miss, and is replaced.
    const fromCache = cached.hit && (cached.value === null || cached.value.id === id) ? { user: cached.value } : undefined;
    const user = fromCache ? fromCache.user : await users.get(id);
    if (!fromCache) {
      try {
        await setJson(c.var.redis, key, user, user === null ? missingTtlSeconds : ttlSeconds);
      } catch (error) {
        report(error);
      }
    }
    return user === null ? c.json({ error: `there is no user ${id}` }, 404) : c.json(user);
  });
}
