import { describe, expect, it, vi } from 'vitest';
import { Hono } from 'hono';
import type { Redis } from 'ioredis';
import { userRoutes, type UserRouteOptions } from '@kata/07-web-caching/user-route.js';
import type { RedisEnv } from '@kata/07-web-caching/redis-dependency.js';
import { UserRepository, type User } from '../../provided/user-repository.js';
import { useRedis } from '../support/redis.js';
import { counting, failing } from './helpers.js';

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

describe('GET /users/:id: the corners', () => {
  it.each(['abc', '0', '-1', '1.5', '1e3', '01', '0x10', '%201', '9007199254740993'])(
    'answers 400 for the id "%s" with a message that quotes it, before Redis or the database is asked',
    async (id) => {
      const calls: string[] = [];
      const { app, users } = await setup(1, counting(ns.redis, calls));
      const response = await app.request(`/users/${id}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toContain(`"${decodeURIComponent(id)}"`);
      expect(users.queries).toBe(0);
      expect(calls).toEqual([]);
    },
  );

  it('says which user is missing in the 404, from the cache too', async () => {
    const { app } = await setup(0);
    await app.request('/users/42');
    const again = await app.request('/users/42');
    expect(((await again.json()) as { error: string }).error).toMatch(/no user 42/);
  });

  it('answers a cached user with one read and no write (a hit does not store the user again)', async () => {
    const calls: string[] = [];
    const { app } = await setup(1, counting(ns.redis, calls));
    await app.request('/users/1');
    calls.length = 0;
    expect((await app.request('/users/1')).status).toBe(200);
    expect(calls).toEqual(['get']);
  });

  it('tells onCacheError when only the write to the cache fails, and still answers from the database', async () => {
    const onCacheError = vi.fn();
    const { app } = await setup(1, failing(ns.redis, 'set'), { onCacheError });
    const response = await app.request('/users/1');
    expect(await response.json()).toEqual(user(1));
    expect(onCacheError).toHaveBeenCalledTimes(1);
  });

  it.each([
    [{ ttlSeconds: 0 }, /userRoutes ttlSeconds/],
    [{ missingTtlSeconds: -1 }, /userRoutes missingTtlSeconds/],
  ])('names the option in the error for %o', async (options, message) => {
    await expect(setup(1, ns.redis, options)).rejects.toThrow(message);
  });
});

describe('GET /users/:id: a listener that throws', () => {
  it('answers from the database when onCacheError itself throws while Redis is down (200, not 500)', async () => {
    const onCacheError = vi.fn(() => {
      throw new Error('the logger is broken too');
    });
    const { app } = await setup(1, failing(ns.redis), { onCacheError });
    const response = await app.request('/users/1');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(user(1));
    expect(onCacheError).toHaveBeenCalledTimes(2);
  });
});

describe('GET /users/:id: foreign values under the key', () => {
  it.each([
    ['a number', '42'],
    ['another user\'s record', JSON.stringify({ id: 2, name: 'user 2', email: '2@example.com' })],
    ['a list', '[1]'],
    ['a string', '"user 1"'],
  ])('reads %s under the key as a miss, answers from the database, and heals the key', async (_, foreign) => {
    const { app, users } = await setup(1);
    await ns.redis.set(ns.key('user', 1), foreign);
    expect(await (await app.request('/users/1')).json()).toEqual(user(1));
    expect(await (await app.request('/users/1')).json()).toEqual(user(1));
    expect(users.queries).toBe(1);
  });
});
