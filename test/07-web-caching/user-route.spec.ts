import { describe, expect, it, vi } from 'vitest';
import { Hono } from 'hono';
import type { Redis } from 'ioredis';
import { userRoutes, type UserRouteOptions } from '@kata/07-web-caching/user-route.js';
import type { RedisEnv } from '@kata/07-web-caching/redis-dependency.js';
import { UserRepository, type User } from '../../provided/user-repository.js';
import { useRedis } from '../support/redis.js';
import { counting, failing } from './helpers.js';
import { expectRefusal } from '../support/refusal.js';

const ns = useRedis();

const user = (id: number): User => ({ id, name: `user ${id}`, email: `${id}@example.com` });

/** The route on an app whose c.var.redis is `redis`, over a database holding users 1..seeded. */
async function setup(seeded: number, redis: Redis = ns.redis, options: Partial<UserRouteOptions> = {}) {
  const users = new UserRepository();
  await users.upsertMany(Array.from({ length: seeded }, (_, i) => user(i + 1)));
  users.resetQueries();
  const app = new Hono<RedisEnv>()
    .use(async (c, next) => {
      c.set('redis', redis);
      await next();
    })
    .route('/', userRoutes({ users, prefix: ns.prefix, ...options }));
  return { app, users };
}

describe('GET /users/:id (source 7.1: cache-aside in a route)', () => {
  it('costs one query per user: 200 requests spread over 10 users make 10 queries', async () => {
    const { app, users } = await setup(10);
    for (let i = 0; i < 200; i++) {
      const response = await app.request(`/users/${(i % 10) + 1}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(user((i % 10) + 1));
    }
    expect(users.queries).toBe(10);
  });

  it.each(['abc', '1e3', '01', '0x10'])('answers 400 for the id "%s", before Redis or the database is asked', async (id) => {
    const calls: string[] = [];
    const { app, users } = await setup(1, counting(ns.redis, calls));
    const response = await app.request(`/users/${id}`);
    expect(response.status).toBe(400);
    expect(users.queries).toBe(0);
    expect(calls).toEqual([]);
  });

  it('answers 404 for a user who does not exist, and again 404 (not a 200 with null) when that answer comes from the cache', async () => {
    const { app, users } = await setup(0);
    expect((await app.request('/users/42')).status).toBe(404);
    const again = await app.request('/users/42');
    expect(again.status).toBe(404);
    expect(users.queries).toBe(1);
  });

  it('caches "no such user" briefly: its TTL is missingTtlSeconds, far shorter than a user\'s', async () => {
    const { app } = await setup(1, ns.redis, { ttlSeconds: 300, missingTtlSeconds: 20 });
    await app.request('/users/1');
    await app.request('/users/2');
    const [found, missing] = await Promise.all([ns.redis.ttl(ns.key('user', 1)), ns.redis.ttl(ns.key('user', 2))]);
    expect(found).toBeGreaterThan(20);
    expect(found).toBeLessThanOrEqual(300);
    expect(missing).toBeGreaterThan(0);
    expect(missing).toBeLessThanOrEqual(20);
  });

  it('answers from the database when Redis is down (200, not 500), and tells onCacheError', async () => {
    const onCacheError = vi.fn();
    const { app } = await setup(1, failing(ns.redis), { onCacheError });
    const response = await app.request('/users/1');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(user(1));
    expect(onCacheError).toHaveBeenCalledTimes(2); // the read, then the write
  });

  it('treats garbage under the key as a miss (the source\'s json.loads would answer 500 until it expires)', async () => {
    const { app, users } = await setup(1);
    await ns.redis.set(ns.key('user', 1), '{"id": 1, "na');
    expect(await (await app.request('/users/1')).json()).toEqual(user(1));
    expect(await (await app.request('/users/1')).json()).toEqual(user(1));
    expect(users.queries).toBe(1);
  });

  it.each([
    { ttlSeconds: 0 },
    { missingTtlSeconds: -1 },
    { missingTtlSeconds: 1.5 },
    { ttlSeconds: Number.NaN },
  ])('refuses %o with a RangeError naming the option when the routes are made, not as a cache that silently never stores', async (options) => {
    await expectRefusal(() => setup(1, ns.redis, options), RangeError, Object.keys(options)[0]!);
  });

});
