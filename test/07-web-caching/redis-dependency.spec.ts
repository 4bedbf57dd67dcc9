import { afterEach, describe, expect, it, vi } from 'vitest';
import { Hono } from 'hono';
import type { Redis } from 'ioredis';
import { redisDependency, type RedisEnv } from '@kata/07-web-caching/redis-dependency.js';
import { createClient, useRedis } from '../support/redis.js';

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

describe('redisDependency (source 7.1: one client per process, not one per request)', () => {
  it('makes no client until a request needs one (nothing connects at import or start-up)', () => {
    const create = factory();
    redisDependency(create);
    expect(create).not.toHaveBeenCalled();
  });

  it('makes one client for 20 concurrent requests, and every handler gets that same client on c.var.redis', async () => {
    const create = factory();
    const seen = new Set<Redis>();
    const app = appWith(redisDependency(create), seen);
    const responses = await Promise.all(Array.from({ length: 20 }, () => app.request('/ping')));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(create).toHaveBeenCalledTimes(1);
    expect(seen.size).toBe(1);
  });

  it('close() closes the client it made (on shutdown); a request after it is a 503 and makes no new connection', async () => {
    const create = factory();
    const dependency = redisDependency(create);
    const app = appWith(dependency);
    await app.request('/ping');
    await dependency.close();
    expect(closed.has(made[0]!)).toBe(true);
    const refused = await app.request('/ping');
    expect(refused.status).toBe(503);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('close() before any request opens nothing just to close it', async () => {
    const create = factory();
    await redisDependency(create).close();
    expect(create).not.toHaveBeenCalled();
  });
});
