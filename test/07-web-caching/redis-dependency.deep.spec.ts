import { afterEach, describe, expect, it, vi } from 'vitest';
import { Hono } from 'hono';
import type { Redis } from 'ioredis';
import { redisDependency, type RedisEnv } from '@kata/07-web-caching/redis-dependency.js';
import { createClient, onRealRedis, useRedis } from '../support/redis.js';

const ns = useRedis();
const made: Redis[] = [];
const closed = new Set<Redis>();

/** A factory that counts the clients it makes (and lets the spec close every one of them). */
function factory(options: Parameters<typeof createClient>[0] = {}) {
  return vi.fn(() => {
    const client = createClient({ lazyConnect: true, ...options });
    client.on('error', () => {});
    // ioredis-mock's clients share one emitter; the source's 100 clients would print a leak warning the spec already reports.
    (client as unknown as { context?: { modifiedKeyEvents?: { setMaxListeners(n: number): void } } }).context?.modifiedKeyEvents?.setMaxListeners(200);
    made.push(client);
    for (const method of ['quit', 'disconnect'] as const) {
      const original = client[method].bind(client) as () => unknown;
      client[method] = (() => {
        closed.add(client);
        return original();
      }) as never;
    }
    return client;
  });
}

function appWith(dependency: ReturnType<typeof redisDependency>, seen: Set<Redis> = new Set()) {
  return new Hono<RedisEnv>().use(dependency.middleware).get('/ping', async (c) => {
    seen.add(c.var.redis);
    return c.text(await c.var.redis.ping());
  });
}

afterEach(() => {
  made.splice(0).forEach((client) => client.disconnect());
  closed.clear();
});

describe('redisDependency: the corners', () => {
  it('says why it refuses after close(): a 503 whose body says the app is shutting down', async () => {
    const dependency = redisDependency(factory());
    const app = appWith(dependency);
    await dependency.close();
    const refused = await app.request('/ping');
    expect(refused.status).toBe(503);
    expect(await refused.text()).toMatch(/shutting down/);
  });

  it('closes once when close() is called twice (a SIGTERM handler that runs twice), and makes no client for it', async () => {
    const create = factory();
    const dependency = redisDependency(create);
    await appWith(dependency).request('/ping');
    await Promise.all([dependency.close(), dependency.close()]);
    expect(create).toHaveBeenCalledTimes(1);
    expect(closed.has(made[0]!)).toBe(true);
  });

  onRealRedis('ioredis-mock has no CLIENT LIST')(
    '100 requests open one connection to Redis, not 100 (counted with CLIENT LIST)',
    async () => {
      const name = `cachelings-dep-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
      const create = factory({ connectionName: name });
      const app = appWith(redisDependency(create));
      await Promise.all(Array.from({ length: 100 }, () => app.request('/ping')));
      const list = (await ns.redis.call('CLIENT', 'LIST')) as string;
      const ours = list.split('\n').filter((line) => line.includes(` name=${name} `));
      expect(ours).toHaveLength(1);
    },
  );
});
