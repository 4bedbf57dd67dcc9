import { describe, expect, it, vi } from 'vitest';
import { Hono, type Context } from 'hono';
import { etag } from 'hono/etag';
import type { Redis } from 'ioredis';
import { httpCache, type HttpCacheOptions } from '@kata/07-web-caching/http-cache.js';
import { onRealRedis, useRedis } from '../support/redis.js';
import { binaryBody, failing, hanging, lazyBody } from './helpers.js';

const ns = useRedis();
const T = Date.parse('2026-01-01T00:00:00Z');

type Handler = (c: Context) => Response | Promise<Response>;

/**
 * An app with the cache in front of `handler` on every path and method, and a
 * count of how often the handler ran: what every spec below watches.
 */
function cached(handler: Handler, options: Partial<HttpCacheOptions> = {}, redis: Redis = ns.redis) {
  const calls = { count: 0 };
  const cache = httpCache({ redis, prefix: ns.prefix, log: () => {}, ...options });
  const app = new Hono().use(cache).all('*', async (c) => {
    calls.count++;
    return handler(c);
  });
  return { app, calls, cache };
}

const get = (app: Hono, path = '/page', headers: Record<string, string> = {}) => app.request(path, { headers });
const xCache = (response: Response) => response.headers.get('x-cache');

describe('httpCache: what the source\'s middleware gets right, kept', () => {
  it('serves the second GET from the cache: the handler runs once, the body is the same, X-Cache says MISS then HIT', async () => {
    const { app, calls } = cached((c) => c.json({ n: 1 }, 200, { 'cache-control': 'max-age=60' }));
    const first = await get(app);
    const second = await get(app);
    expect(await second.json()).toEqual(await first.json());
    expect([xCache(first), xCache(second)]).toEqual(['MISS', 'HIT']);
    expect(calls.count).toBe(1);
  });
});

describe('httpCache: one user\'s page is never another\'s', () => {
  it('does not serve user A\'s page to user B: a request with Authorization is not shared unless the response says public', async () => {
    const { app } = cached((c) => c.text(`hello ${c.req.header('authorization')}`, 200, { 'cache-control': 'max-age=60' }));
    await get(app, '/me', { authorization: 'Bearer alice' });
    const bob = await get(app, '/me', { authorization: 'Bearer bob' });
    expect(await bob.text()).toBe('hello Bearer bob');
  });

  it('does not serve a page the handler marked private (chosen by cookie) to the next user', async () => {
    const { app } = cached((c) => c.text(`cart of ${c.req.header('cookie')}`, 200, { 'cache-control': 'private, max-age=60' }));
    await get(app, '/cart', { cookie: 'user=alice' });
    expect(await (await get(app, '/cart', { cookie: 'user=bob' })).text()).toBe('cart of user=bob');
  });

  it('never stores a response that sets a cookie, so nobody else is handed that cookie (or that session)', async () => {
    let n = 0;
    const { app } = cached((c) => {
      n++;
      return c.text('welcome', 200, { 'cache-control': 'max-age=60', 'set-cookie': `session=${n}; HttpOnly` });
    });
    await get(app, '/login');
    const second = await get(app, '/login');
    expect(second.headers.get('set-cookie')).toBe('session=2; HttpOnly');
  });

  it('keeps one copy per variant when the response says Vary: Accept-Language', async () => {
    const { app, calls } = cached((c) =>
      c.text(c.req.header('accept-language') === 'fr' ? 'bonjour' : 'hello', 200, { 'cache-control': 'max-age=60', vary: 'Accept-Language' }),
    );
    await get(app, '/greeting', { 'accept-language': 'en' });
    await get(app, '/greeting', { 'accept-language': 'fr' });
    const en = await get(app, '/greeting', { 'accept-language': 'en' });
    const fr = await get(app, '/greeting', { 'accept-language': 'fr' });
    expect([await en.text(), await fr.text()]).toEqual(['hello', 'bonjour']);
    expect([xCache(en), xCache(fr)]).toEqual(['HIT', 'HIT']);
    expect(calls.count).toBe(2);
  });
});

describe('httpCache: the handler decides (Cache-Control)', () => {
  it('does not store what the handler marked no-store', async () => {
    const { app, calls } = cached((c) => c.text('secret', 200, { 'cache-control': 'no-store' }));
    await get(app);
    await get(app);
    expect(calls.count).toBe(2);
  });

  it('stores nothing for a request that says Cache-Control: no-store (BYPASS), and serves it from the handler', async () => {
    const { app, calls } = cached((c) => c.text('page', 200, { 'cache-control': 'max-age=60' }));
    const first = await get(app, '/page', { 'cache-control': 'no-store' });
    expect(xCache(first)).toBe('BYPASS');
    await get(app);
    expect(calls.count).toBe(2);
  });

  it('stores a response only as long as max-age says: after 30 s a max-age=30 page is fetched again', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T });
    const { app, calls } = cached((c) => c.text('page', 200, { 'cache-control': 'max-age=30' }));
    await get(app);
    vi.setSystemTime(T + 29_000);
    await get(app);
    expect(calls.count).toBe(1);
    vi.setSystemTime(T + 31_000);
    await get(app);
    expect(calls.count).toBe(2);
  });

  it('sends Age on every response from the cache, growing with the time it has been stored', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T });
    const { app } = cached((c) => c.text('page', 200, { 'cache-control': 'max-age=60' }));
    await get(app);
    vi.setSystemTime(T + 25_000);
    expect((await get(app)).headers.get('age')).toBe('25');
  });
});

describe('httpCache: the whole response, not only the body', () => {
  it('keeps the status, Content-Type, ETag and the other headers (a cached 404 stays a 404 in text/html)', async () => {
    const { app } = cached((c) =>
      c.html('<h1>gone</h1>', 404, { 'cache-control': 'max-age=60', etag: '"g1"', 'x-request-source': 'db' }),
    );
    await get(app, '/missing');
    const hit = await get(app, '/missing');
    expect(xCache(hit)).toBe('HIT');
    expect(hit.status).toBe(404);
    expect(hit.headers.get('content-type')).toMatch(/^text\/html/);
    expect(hit.headers.get('etag')).toBe('"g1"');
    expect(hit.headers.get('x-request-source')).toBe('db');
    expect(await hit.text()).toBe('<h1>gone</h1>');
  });

  it('answers a HEAD from the stored GET, headers without a body', async () => {
    const { app, calls } = cached((c) => c.text('body', 200, { 'cache-control': 'max-age=60' }));
    await get(app);
    const head = await app.request('/page', { method: 'HEAD' });
    expect(xCache(head)).toBe('HIT');
    expect(head.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await head.text()).toBe('');
    expect(calls.count).toBe(1);
  });
});

describe('httpCache: stats', () => {
  it('counts each outcome in its own counter: hits, misses, stale and bypasses', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T });
    const { app, cache } = cached((c) =>
      c.req.header('if-none-match') === '"s1"'
        ? c.body(null, 304, { etag: '"s1"', 'cache-control': 'max-age=10' })
        : c.text('page', 200, { etag: '"s1"', 'cache-control': 'max-age=10' }),
    );
    await get(app); // MISS
    await get(app); // HIT
    await get(app); // HIT
    vi.setSystemTime(T + 11_000);
    await get(app); // STALE
    await get(app, '/page', { 'cache-control': 'no-store' }); // BYPASS
    expect(cache.stats).toEqual({ hits: 2, misses: 1, stale: 1, bypasses: 1, errors: 0 });
  });
});

describe('httpCache: invalidation (§4.4)', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('forgets the stored GET of a URL after a successful %s to it', async (method) => {
    let version = 1;
    const { app } = cached((c) => {
      if (c.req.method !== 'GET') version++;
      return c.text(`v${version}`, 200, { 'cache-control': 'max-age=60' });
    });
    await get(app, '/doc');
    await app.request('/doc', { method });
    expect(await (await get(app, '/doc')).text()).toBe('v2');
  });
});

describe('httpCache: revalidation (§4.3)', () => {
  /** A handler behind Hono's etag(): it answers 304 to a matching If-None-Match, as a real app would. */
  function versioned(cacheControl: string) {
    const state = { version: 1, full: 0 };
    const app = new Hono();
    const cache = httpCache({ redis: ns.redis, prefix: ns.prefix, log: () => {} });
    app.use(cache).use(etag()).get('/doc', (c) => {
      state.full++;
      return c.text(`version ${state.version}`, 200, { 'cache-control': cacheControl });
    });
    return { app, state };
  }

  it('revalidates a stale entry with If-None-Match; the handler\'s 304 refreshes it and the stored body is served (STALE)', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T });
    const { app } = versioned('max-age=10');
    await get(app, '/doc');
    vi.setSystemTime(T + 11_000);
    const revalidated = await get(app, '/doc');
    expect(revalidated.status).toBe(200);
    expect(xCache(revalidated)).toBe('STALE');
    expect(await revalidated.text()).toBe('version 1');
    vi.setSystemTime(T + 15_000);
    const fresh = await get(app, '/doc');
    expect(xCache(fresh)).toBe('HIT'); // the 304 restarted the clock
    expect(fresh.headers.get('age')).toBe('4');
  });
});

describe('httpCache: limits', () => {
  it('delivers a body over the limit whole, and does not store it (the next request is a MISS)', async () => {
    const big = Buffer.alloc(64 * 1024 + 10, 'not stored, but every byte delivered ');
    const { app, calls } = cached((c) => c.body(big.slice(), 200, { 'cache-control': 'max-age=60' }), { maxBodyBytes: 64 * 1024 });
    const first = await get(app, '/big');
    expect(Buffer.from(await first.arrayBuffer()).equals(big)).toBe(true);
    await get(app, '/big');
    expect(calls.count).toBe(2);
  });
});

describe('httpCache: Redis is down, slow, or holds garbage', () => {
  it('answers every GET from the handler when Redis is down (BYPASS), never a 500', async () => {
    const { app, calls } = cached((c) => c.text('still here', 200, { 'cache-control': 'max-age=60' }), {}, failing(ns.redis));
    for (let i = 0; i < 3; i++) {
      const response = await get(app);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('still here');
      expect(xCache(response)).toBe('BYPASS');
    }
    expect(calls.count).toBe(3);
  });

  it('gives up on a Redis that does not answer after timeoutMs, and the handler answers', async () => {
    vi.useFakeTimers();
    const log = vi.fn();
    const { app } = cached((c) => c.text('answered', 200), { timeoutMs: 200, log }, hanging(ns.redis));
    const verdict = Promise.race([get(app), new Promise<'still waiting'>((resolve) => setTimeout(resolve, 1_000, 'still waiting'))]);
    await vi.advanceTimersByTimeAsync(1_000);
    const response = await verdict;
    if (response === 'still waiting') expect.fail('the request still waits for Redis a second later (timeoutMs was 200)');
    expect(await response.text()).toBe('answered');
    expect(xCache(response)).toBe('BYPASS');
  });
});

describe('httpCache: concurrency', () => {
  it('runs the handler once for 20 concurrent misses of one URL; the others get its response', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { app, calls } = cached(async (c) => {
      await gate;
      return c.text('slow page', 200, { 'cache-control': 'max-age=60' });
    });
    const pending = Array.from({ length: 20 }, () => get(app, '/slow'));
    await new Promise((resolve) => setTimeout(resolve, 20)); // let all 20 look up and queue
    release();
    const responses = await Promise.all(pending);
    expect(await Promise.all(responses.map((r) => r.text()))).toEqual(Array(20).fill('slow page'));
    expect(calls.count).toBe(1);
    expect(responses.map(xCache).sort()).toEqual(['MISS', ...Array(19).fill('HIT')].sort());
  });
});
