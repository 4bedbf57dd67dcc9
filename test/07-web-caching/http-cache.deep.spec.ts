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
  it('gives what it stores a TTL in Redis: max-age plus keepStaleSeconds when it can be revalidated, never forever', async () => {
    const { app } = cached((c) => c.text('x', 200, { 'cache-control': 'max-age=60', etag: '"x"' }), { keepStaleSeconds: 100 });
    await get(app);
    const [, keys] = await ns.redis.scan('0', 'MATCH', `${ns.prefix}*`, 'COUNT', 1000);
    const ttls = await Promise.all(keys.map((key) => ns.redis.pttl(key)));
    expect(ttls.length).toBeGreaterThan(0);
    for (const ttl of ttls) {
      expect(ttl).toBeGreaterThan(60_000);
      expect(ttl).toBeLessThanOrEqual(160_000);
    }
  });

  it('keeps a revalidatable page even with the largest keepStaleSeconds (Number.MAX_SAFE_INTEGER)', async () => {
    const { app } = cached((c) => c.text('x', 200, { 'cache-control': 'max-age=60', etag: '"x"' }), { keepStaleSeconds: Number.MAX_SAFE_INTEGER });
    await get(app);
    expect(xCache(await get(app))).toBe('HIT');
  });

  it('keeps a page without a validator only for its max-age (keepStaleSeconds is for what can be revalidated)', async () => {
    const { app } = cached((c) => c.text('x', 200, { 'cache-control': 'max-age=60' }), { keepStaleSeconds: 100 });
    await get(app);
    const [, keys] = await ns.redis.scan('0', 'MATCH', `${ns.prefix}*`, 'COUNT', 1000);
    const ttls = await Promise.all(keys.map((key) => ns.redis.pttl(key)));
    expect(ttls.length).toBeGreaterThan(0);
    for (const ttl of ttls) expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('stores nothing that arrived already stale and cannot be revalidated (Age: 100, max-age=60, no validator)', async () => {
    const { app } = cached((c) => c.text('old news', 200, { 'cache-control': 'max-age=60', age: '100' }));
    await get(app);
    const [, keys] = await ns.redis.scan('0', 'MATCH', `${ns.prefix}*`, 'COUNT', 1000);
    expect(keys).toEqual([]);
  });

  it('leaves no timer running after a request (each Redis call\'s timeout is cleared)', async () => {
    vi.useFakeTimers();
    const { app } = cached((c) => c.text('x', 200, { 'cache-control': 'max-age=60' }));
    await get(app);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stores under the prefix, with a key that is not md5(path + query)', async () => {
    const { app } = cached((c) => c.text('x', 200, { 'cache-control': 'max-age=60' }));
    await get(app, '/page?a=1');
    const [, keys] = await ns.redis.scan('0', 'MATCH', `${ns.prefix}*`, 'COUNT', 1000);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join()).not.toMatch(/[0-9a-f]{32}$/);
  });
});

describe('httpCache: one user\'s page is never another\'s', () => {
  it.each(['s-maxage=60', 'must-revalidate, max-age=60'])('serves a stored page to an authorized request when it said %s (§3.5)', async (cacheControl) => {
    const { app, calls } = cached((c) => c.text('shared', 200, { 'cache-control': cacheControl }));
    await get(app, '/home');
    expect(xCache(await get(app, '/home', { authorization: 'Bearer bob' }))).toBe('HIT');
    expect(calls.count).toBe(1);
  });

  it('does share an answer to Authorization that the handler marked public', async () => {
    const { app, calls } = cached((c) => c.text('the same for all', 200, { 'cache-control': 'public, max-age=60' }));
    await get(app, '/news', { authorization: 'Bearer alice' });
    await get(app, '/news', { authorization: 'Bearer bob' });
    expect(calls.count).toBe(1);
  });

  it('does not serve a stored page to an authorized request unless it was marked shareable (§3.5)', async () => {
    const { app, calls } = cached((c) => c.text(c.req.header('authorization') ?? 'anonymous', 200, { 'cache-control': 'max-age=60' }));
    await get(app, '/home');
    expect(await (await get(app, '/home', { authorization: 'Bearer bob' })).text()).toBe('Bearer bob');
    expect(calls.count).toBe(2);
  });

  it('drops the old variants when a URL\'s response stops varying (nothing unreachable is left in Redis)', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T });
    let vary = true;
    const headers = () => ({ 'cache-control': 'max-age=10', etag: '"p"', ...(vary ? { vary: 'Accept-Language' } : {}) });
    const { app } = cached((c) => c.text('page', 200, headers()));
    await get(app, '/page', { 'accept-language': 'en' });
    await get(app, '/page', { 'accept-language': 'fr' });
    vary = false;
    vi.setSystemTime(T + 11_000);
    await get(app, '/page', { 'accept-language': 'en' });
    const [, keys] = await ns.redis.scan('0', 'MATCH', `${ns.prefix}*`, 'COUNT', 1000);
    const fields = (await Promise.all(keys.map((key) => ns.redis.hlen(key)))).reduce((a, b) => a + b, 0);
    expect(fields).toBe(2); // the Vary names and the one variant there now is
    expect(xCache(await get(app, '/page', { 'accept-language': 'de' }))).toBe('HIT');
  });

  it('never answers from the cache for Vary: *', async () => {
    const { app, calls } = cached((c) => c.text('depends', 200, { 'cache-control': 'max-age=60', vary: '*' }));
    await get(app);
    await get(app);
    expect(calls.count).toBe(2);
  });
});

describe('httpCache: the handler decides (Cache-Control)', () => {
  it('answers a HEAD it has nothing for from the handler, and stores nothing from it (a HEAD has no body to keep)', async () => {
    const { app, calls } = cached((c) => c.text('body', 200, { 'cache-control': 'max-age=60' }));
    await app.request('/page', { method: 'HEAD' });
    const response = await get(app);
    expect(await response.text()).toBe('body');
    expect(calls.count).toBe(2);
  });

  it('treats a page as stale at exactly max-age seconds (fresh means younger than max-age)', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T });
    const { app, calls } = cached((c) => c.text('page', 200, { 'cache-control': 'max-age=30', etag: '"p"' }));
    await get(app);
    vi.setSystemTime(T + 30_000);
    expect(xCache(await get(app))).not.toBe('HIT');
    expect(calls.count).toBe(2);
  });

  it('never sends a negative Age when the clock steps back after a page was stored', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T });
    const { app } = cached((c) => c.text('page', 200, { 'cache-control': 'max-age=60' }));
    await get(app);
    vi.setSystemTime(T - 5_000);
    const hit = await get(app);
    expect(xCache(hit)).toBe('HIT');
    expect(hit.headers.get('age')).toBe('0');
  });

  it('prefers s-maxage to max-age (max-age=600 is for browsers; s-maxage=10 for this shared cache)', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T });
    const { app, calls } = cached((c) => c.text('page', 200, { 'cache-control': 'max-age=600, s-maxage=10' }));
    await get(app);
    vi.setSystemTime(T + 11_000);
    await get(app);
    expect(calls.count).toBe(2);
  });

  it('does not serve as fresh a response that arrived already older than its max-age (Age: 100, max-age=60)', async () => {
    const { app, calls } = cached((c) => c.text('old news', 200, { 'cache-control': 'max-age=60', age: '100' }));
    await get(app);
    await get(app);
    expect(calls.count).toBe(2);
  });

  it('counts the Age a response arrived with: Age: 20 with max-age=60 is served with Age 20, not 0', async () => {
    const { app } = cached((c) => c.text('from upstream', 200, { 'cache-control': 'max-age=60', age: '20' }));
    await get(app);
    expect((await get(app)).headers.get('age')).toBe('20');
  });

  it('does not store what says nothing about freshness, unless asked to guess (heuristicMaxSeconds)', async () => {
    const headers = { 'last-modified': new Date(Date.now() - 86_400_000).toUTCString() };
    const plain = cached((c) => c.text('page', 200, headers));
    await get(plain.app);
    expect(xCache(await get(plain.app))).not.toBe('HIT');
    const guessing = cached((c) => c.text('page', 200, headers), { heuristicMaxSeconds: 60 });
    await get(guessing.app, '/other');
    expect(xCache(await get(guessing.app, '/other'))).toBe('HIT');
  });
});

describe('httpCache: options', () => {
  it.each([
    { timeoutMs: 0 },
    { timeoutMs: 2 ** 31 },
    { timeoutMs: Number.NaN },
    { maxBodyBytes: -1 },
    { maxBodyBytes: Number.POSITIVE_INFINITY },
    { keepStaleSeconds: 1.5 },
    { heuristicMaxSeconds: -60 },
  ])('refuses %o with a RangeError at the call, instead of a cache that never works', (options) => {
    expect(() => httpCache({ redis: ns.redis, prefix: ns.prefix, ...options })).toThrow(RangeError);
  });

  it.each([
    [{ timeoutMs: 0 }, /timeoutMs.*got 0/],
    [{ timeoutMs: 2 ** 31 }, /timeoutMs.*got 2147483648/],
    [{ timeoutMs: 1.5 }, /timeoutMs.*got 1\.5/],
    [{ maxBodyBytes: -1 }, /maxBodyBytes.*got -1/],
    [{ heuristicMaxSeconds: -60 }, /heuristicMaxSeconds.*got -60/],
    [{ keepStaleSeconds: 1.5 }, /keepStaleSeconds.*got 1\.5/],
  ])('names the option and the bad value in the error: %o', (options, message) => {
    expect(() => httpCache({ redis: ns.redis, prefix: ns.prefix, ...options })).toThrow(message);
  });

  it('accepts the edges of every range: timeoutMs 1 and 2^31 − 1, and 0 for the sizes and seconds', () => {
    for (const options of [{ timeoutMs: 1 }, { timeoutMs: 2 ** 31 - 1 }, { maxBodyBytes: 0, heuristicMaxSeconds: 0, keepStaleSeconds: 0 }]) {
      expect(() => httpCache({ redis: ns.redis, prefix: ns.prefix, ...options })).not.toThrow();
    }
  });

  it('refuses an empty prefix: the cache would write at the root of a shared Redis', () => {
    expect(() => httpCache({ redis: ns.redis, prefix: '' })).toThrow(TypeError);
    expect(() => httpCache({ redis: ns.redis, prefix: '' })).toThrow(/prefix/);
  });

  it('refuses a prefix that is not a string (a number, undefined) with a TypeError naming prefix', () => {
    for (const prefix of [42, undefined]) {
      expect(() => httpCache({ redis: ns.redis, prefix: prefix as unknown as string })).toThrow(/prefix/);
    }
  });
});

describe('httpCache: the whole response, not only the body', () => {
  it('returns a binary body byte for byte (an image, gzip: bytes that are not UTF-8)', async () => {
    const bytes = binaryBody();
    const { app } = cached((c) => c.body(bytes.slice(), 200, { 'content-type': 'image/png', 'cache-control': 'max-age=60' }));
    await get(app, '/logo.png');
    const hit = await get(app, '/logo.png');
    expect(xCache(hit)).toBe('HIT');
    expect(new Uint8Array(await hit.arrayBuffer())).toEqual(bytes);
  });

  it('keeps a 204 and an empty 200 (the source\'s `if cached:` takes an empty body for a miss)', async () => {
    const { app, calls } = cached((c) => c.body(null, c.req.path === '/none' ? 204 : 200, { 'cache-control': 'max-age=60' }));
    for (const path of ['/none', '/empty', '/none', '/empty']) await get(app, path);
    expect(calls.count).toBe(2);
    expect((await get(app, '/none')).status).toBe(204);
  });

  it('does not store hop-by-hop fields such as Connection and Keep-Alive', async () => {
    const { app } = cached((c) => c.text('x', 200, { 'cache-control': 'max-age=60', 'keep-alive': 'timeout=5', 'x-mine': 'kept' }));
    await get(app);
    const hit = await get(app);
    expect(hit.headers.get('keep-alive')).toBeNull();
    expect(hit.headers.get('x-mine')).toBe('kept');
  });
});

describe('httpCache: X-Cache on any response', () => {
  it('marks a response whose headers cannot be changed (Response.redirect) with X-Cache too, status kept', async () => {
    const { app } = cached(() => Response.redirect('http://localhost/elsewhere', 302));
    const response = await get(app, '/old');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://localhost/elsewhere');
    expect(xCache(response)).toBe('MISS');
  });
});

describe('httpCache: keys', () => {
  it('keeps /a?b=c and /a%3Fb=c apart, and does not let one path serve another', async () => {
    const { app } = cached((c) => c.text(c.req.path, 200, { 'cache-control': 'max-age=60' }));
    await get(app, '/a?b=c');
    expect(await (await get(app, '/a%3Fb=c')).text()).not.toBe('/a');
  });
});

describe('httpCache: invalidation (§4.4)', () => {
  it('forgets exactly the URL written to, even when its query holds glob characters (keys are hashes, never patterns)', async () => {
    const { app } = cached((c) => c.text(`${c.req.url} at ${Date.now()}`, 200, { 'cache-control': 'max-age=60' }));
    await get(app, '/search?q=*');
    await get(app, '/search?q=a');
    await app.request('/search?q=*', { method: 'DELETE' });
    expect(xCache(await get(app, '/search?q=*'))).toBe('MISS');
    expect(xCache(await get(app, '/search?q=a'))).toBe('HIT');
  });

  it.each([400, 409, 500])('keeps the stored GET when the write failed with a %i (a 4xx or 5xx changed nothing)', async (status) => {
    const { app, calls } = cached((c) => (c.req.method === 'GET' ? c.text('doc', 200, { 'cache-control': 'max-age=60' }) : c.text('no', status as 400)));
    await get(app, '/doc');
    await app.request('/doc', { method: 'POST' });
    expect(xCache(await get(app, '/doc'))).toBe('HIT');
    expect(calls.count).toBe(2);
  });

  it('still answers a write whose Location cannot be parsed, and forgets the URL written to', async () => {
    const { app } = cached((c) =>
      c.req.method === 'GET' ? c.text('doc', 200, { 'cache-control': 'max-age=60' }) : c.body(null, 201, { location: 'http://[bad' }),
    );
    await get(app, '/doc');
    expect((await app.request('/doc', { method: 'POST' })).status).toBe(201);
    expect(xCache(await get(app, '/doc'))).toBe('MISS');
  });

  it('forgets the stored GET after a write answered with a redirect (303 See Other: the write succeeded)', async () => {
    const { app } = cached((c) =>
      c.req.method === 'GET' ? c.text(`at ${Date.now()}`, 200, { 'cache-control': 'max-age=60' }) : c.body(null, 303, { location: '/elsewhere' }),
    );
    await get(app, '/doc');
    await app.request('/doc', { method: 'POST' });
    expect(xCache(await get(app, '/doc'))).toBe('MISS');
  });

  it('keeps the stored GET after an OPTIONS to it (a safe method changes nothing)', async () => {
    const { app } = cached((c) => c.text('doc', 200, { 'cache-control': 'max-age=60' }));
    await get(app, '/doc');
    await app.request('/doc', { method: 'OPTIONS' });
    expect(xCache(await get(app, '/doc'))).toBe('HIT');
  });

  it('also forgets the same-origin Location and Content-Location a write returns, and not another origin\'s', async () => {
    const { app } = cached((c) =>
      c.req.method === 'POST'
        ? c.body(null, 201, { location: '/items/7', 'content-location': 'https://elsewhere.example/list' })
        : c.text(`${c.req.path} at ${Date.now()}`, 200, { 'cache-control': 'max-age=60' }),
    );
    await get(app, '/items/7');
    await get(app, '/list');
    await app.request('/items', { method: 'POST' });
    expect(xCache(await get(app, '/items/7'))).toBe('MISS');
    expect(xCache(await get(app, '/list'))).toBe('HIT');
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

  it('takes the 304\'s Cache-Control over the stored one: a 304 that says max-age=100 keeps the entry fresh for 100 s', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T });
    const { app, calls } = cached((c) =>
      c.req.header('if-none-match') === '"d1"'
        ? c.body(null, 304, { etag: '"d1"', 'cache-control': 'max-age=100' })
        : c.text('doc', 200, { etag: '"d1"', 'cache-control': 'max-age=10' }),
    );
    await get(app, '/doc');
    vi.setSystemTime(T + 11_000);
    expect(xCache(await get(app, '/doc'))).toBe('STALE');
    vi.setSystemTime(T + 61_000);
    const later = await get(app, '/doc');
    expect(xCache(later)).toBe('HIT');
    expect(later.headers.get('cache-control')).toBe('max-age=100');
    expect(calls.count).toBe(2);
  });

  it('replaces the stored body when the handler answers the revalidation with a new 200', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T });
    const { app, state } = versioned('max-age=10');
    await get(app, '/doc');
    state.version = 2;
    vi.setSystemTime(T + 11_000);
    expect(await (await get(app, '/doc')).text()).toBe('version 2');
    expect(await (await get(app, '/doc')).text()).toBe('version 2');
  });

  it('forgets the stale entry when the handler answers its revalidation with a page that may not be stored', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T });
    let storable = true;
    const { app } = cached((c) => c.text('doc', 200, { etag: '"n1"', 'cache-control': storable ? 'max-age=10' : 'no-store' }));
    await get(app, '/doc');
    storable = false;
    vi.setSystemTime(T + 11_000);
    expect(xCache(await get(app, '/doc'))).toBe('MISS');
    const [, keys] = await ns.redis.scan('0', 'MATCH', `${ns.prefix}*`, 'COUNT', 1000);
    expect(keys).toEqual([]);
  });

  it('does not pass on a Set-Cookie the handler put on its 304: the stored page is served as it was stored', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T });
    const { app } = cached((c) =>
      c.req.header('if-none-match') === '"c1"'
        ? c.body(null, 304, { etag: '"c1"', 'set-cookie': 'session=someone' })
        : c.text('doc', 200, { etag: '"c1"', 'cache-control': 'max-age=10' }),
    );
    await get(app, '/doc');
    vi.setSystemTime(T + 11_000);
    const response = await get(app, '/doc');
    expect(xCache(response)).toBe('STALE');
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await response.text()).toBe('doc');
  });

  it('answers a HEAD for a stale entry from the handler, without revalidating it (only a GET refreshes the entry)', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T });
    const seen: Array<string | undefined> = [];
    const { app } = cached((c) => {
      seen.push(c.req.header('if-none-match'));
      return c.text('doc', 200, { etag: '"h1"', 'cache-control': 'max-age=10' });
    });
    await get(app, '/doc');
    vi.setSystemTime(T + 11_000);
    const head = await app.request('/doc', { method: 'HEAD' });
    expect(xCache(head)).toBe('MISS');
    expect(seen).toEqual([undefined, undefined]);
  });

  it('revalidates with If-None-Match alone when the stored response has only an ETag, and keeps its length on a 304', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T });
    const since: Array<string | undefined> = [];
    const { app } = cached((c) => {
      since.push(c.req.header('if-modified-since'));
      return c.req.header('if-none-match') === '"e1"'
        ? c.body(null, 304, { etag: '"e1"', 'content-length': '0' })
        : c.text('doc', 200, { etag: '"e1"', 'cache-control': 'max-age=10' });
    });
    await get(app, '/doc');
    vi.setSystemTime(T + 11_000);
    const response = await get(app, '/doc');
    expect(since).toEqual([undefined, undefined]);
    expect(xCache(response)).toBe('STALE');
    expect(response.headers.get('content-length')).not.toBe('0');
    expect(await response.text()).toBe('doc');
  });

  it('revalidates every time when the handler says no-cache', async () => {
    const { app, state } = versioned('no-cache');
    await get(app, '/doc');
    state.version = 2;
    expect(await (await get(app, '/doc')).text()).toBe('version 2');
  });

  it('revalidates with If-Modified-Since when the stored response has only Last-Modified', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T });
    const modified = new Date(T - 86_400_000).toUTCString();
    const seen: Array<string | undefined> = [];
    const noneMatch: Array<string | undefined> = [];
    const { app } = cached((c) => {
      seen.push(c.req.header('if-modified-since'));
      noneMatch.push(c.req.header('if-none-match'));
      return c.req.header('if-modified-since') === modified
        ? c.body(null, 304)
        : c.text('doc', 200, { 'cache-control': 'max-age=10', 'last-modified': modified });
    });
    await get(app, '/doc');
    vi.setSystemTime(T + 11_000);
    const response = await get(app, '/doc');
    expect(seen).toEqual([undefined, modified]);
    expect(noneMatch).toEqual([undefined, undefined]); // no ETag was stored, so none is asked about
    expect(await response.text()).toBe('doc');
  });

  it('answers a client\'s matching If-None-Match from a fresh entry with a 304, without asking the handler', async () => {
    const { app, calls } = cached((c) => c.text('doc', 200, { 'cache-control': 'max-age=60', etag: 'W/"d1"' }));
    await get(app, '/doc');
    const response = await get(app, '/doc', { 'if-none-match': '"other", "d1"' });
    expect(response.status).toBe(304);
    expect(response.headers.get('etag')).toBe('W/"d1"');
    expect(response.headers.get('age')).not.toBeNull();
    expect(calls.count).toBe(1);
  });

  it('sends on a 304 the fields of the 200 it stands for (Cache-Control, ETag, Expires, Last-Modified, Vary, Content-Location, Date), not its Content-Type', async () => {
    const headers = {
      'cache-control': 'max-age=60', etag: '"f1"', expires: new Date(Date.now() + 60_000).toUTCString(),
      'last-modified': new Date(Date.now() - 60_000).toUTCString(), vary: 'Accept-Language',
      'content-location': '/doc.en', date: new Date().toUTCString(), 'x-extra': 'body only',
    };
    const { app } = cached((c) => c.text('doc', 200, headers));
    await get(app, '/doc');
    const response = await get(app, '/doc', { 'if-none-match': '"f1"' });
    expect(response.status).toBe(304);
    for (const name of ['cache-control', 'etag', 'expires', 'last-modified', 'vary', 'content-location', 'date']) {
      expect(response.headers.get(name), name).toBe(headers[name as keyof typeof headers]);
    }
    expect(response.headers.get('content-type')).toBeNull();
    expect(response.headers.get('x-extra')).toBeNull();
  });

  it('answers If-None-Match: * from a fresh entry with a 304', async () => {
    const { app } = cached((c) => c.text('doc', 200, { 'cache-control': 'max-age=60', etag: '"d1"' }));
    await get(app, '/doc');
    const star = await get(app, '/doc', { 'if-none-match': ' * ' });
    expect(star.status).toBe(304);
    expect(star.headers.get('expires')).toBeNull(); // only the fields the 200 had
    expect((await get(app, '/doc', { 'if-none-match': '"d2"' })).status).toBe(200);
  });

  it('lets If-None-Match win over If-Modified-Since: a stored page without an ETag matches no If-None-Match', async () => {
    const modified = new Date(Date.now() - 60_000).toUTCString();
    const { app } = cached((c) => c.text('doc', 200, { 'cache-control': 'max-age=60', 'last-modified': modified }));
    await get(app, '/doc');
    const response = await get(app, '/doc', { 'if-none-match': '"d1"', 'if-modified-since': new Date().toUTCString() });
    expect(response.status).toBe(200);
  });

  it('answers 304 to an If-Modified-Since equal to the stored Last-Modified (not modified since that very second)', async () => {
    const modified = new Date(Date.now() - 60_000).toUTCString();
    const { app } = cached((c) => c.text('doc', 200, { 'cache-control': 'max-age=60', 'last-modified': modified }));
    await get(app, '/doc');
    expect((await get(app, '/doc', { 'if-modified-since': modified })).status).toBe(304);
  });

  it('answers a client\'s If-Modified-Since from a fresh entry with a 304 when nothing changed since', async () => {
    const modified = new Date(Date.now() - 60_000).toUTCString();
    const { app } = cached((c) => c.text('doc', 200, { 'cache-control': 'max-age=60', 'last-modified': modified }));
    await get(app, '/doc');
    expect((await get(app, '/doc', { 'if-modified-since': new Date().toUTCString() })).status).toBe(304);
    expect((await get(app, '/doc', { 'if-modified-since': new Date(Date.now() - 3_600_000).toUTCString() })).status).toBe(200);
  });
});

describe('httpCache: limits', () => {
  it('streams a body over maxBodyBytes through without reading it all first (8 MiB here, a 2 GB export in production)', async () => {
    const huge = lazyBody(8 * 1024 * 1024);
    const { app } = cached((c) => c.body(huge.stream, 200, { 'cache-control': 'max-age=60' }), { maxBodyBytes: 1024 * 1024 });
    const response = await get(app, '/export');
    const reader = response.body!.getReader();
    await reader.read();
    expect(huge.pulled()).toBeLessThanOrEqual(1024 * 1024 + 4 * 64 * 1024);
    await reader.cancel();
  });

  it('stores a body of exactly maxBodyBytes (the limit is the largest body kept, not the first refused)', async () => {
    const body = Buffer.alloc(1000, 'x');
    const { app } = cached((c) => c.body(body.slice(), 200, { 'cache-control': 'max-age=60', 'content-length': '1000' }), { maxBodyBytes: 1000 });
    await get(app, '/exact');
    const hit = await get(app, '/exact');
    expect(xCache(hit)).toBe('HIT');
    expect((await hit.arrayBuffer()).byteLength).toBe(1000);
  });

  it('does not store a body whose Content-Length says it is over maxBodyBytes, and delivers it whole', async () => {
    const body = Buffer.alloc(1001, 'y');
    const { app, calls } = cached((c) => c.body(body.slice(), 200, { 'cache-control': 'max-age=60', 'content-length': '1001' }), { maxBodyBytes: 1000 });
    expect((await (await get(app, '/over')).arrayBuffer()).byteLength).toBe(1001);
    await get(app, '/over');
    expect(calls.count).toBe(2);
  });
});

describe('httpCache: Redis is down, slow, or holds garbage', () => {
  it('logs what failed: a message that names Redis and the error it gave', async () => {
    const log = vi.fn();
    const { app } = cached((c) => c.text('x', 200), { log }, failing(ns.redis));
    await get(app);
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0]![0])).toMatch(/Redis/);
  });

  it('counts every Redis failure but logs once per outage, and again after Redis came back and failed anew', async () => {
    const log = vi.fn();
    let down = true;
    const flaky = new Proxy(ns.redis, {
      get: (target, property) => Reflect.get(down ? failing(target) : target, property),
    });
    const { app, cache } = cached((c) => c.text('x', 200, { 'cache-control': 'max-age=60' }), { log }, flaky);
    for (let i = 0; i < 5; i++) await get(app, `/p${i}`);
    expect(cache.stats.errors).toBeGreaterThanOrEqual(5);
    expect(log).toHaveBeenCalledTimes(1);
    down = false;
    await get(app, '/back');
    down = true;
    await get(app, '/again');
    expect(log).toHaveBeenCalledTimes(2);
  });

  it('invalidates nothing but still answers a POST while Redis is down', async () => {
    const { app } = cached((c) => c.text('created', 201), {}, failing(ns.redis));
    expect((await app.request('/doc', { method: 'POST' })).status).toBe(201);
  });

  it('treats garbage under its key as a miss, and replaces it', async () => {
    const { app, calls } = cached((c) => c.text('good', 200, { 'cache-control': 'max-age=60' }));
    await get(app, '/doc');
    const [, keys] = await ns.redis.scan('0', 'MATCH', `${ns.prefix}*`, 'COUNT', 1000);
    for (const key of keys) {
      const fields = await ns.redis.hkeys(key);
      for (const field of fields) await ns.redis.hset(key, field, field === 'vary' ? '{not json' : '\x00\x00\x00\xffgarbage');
    }
    expect(await (await get(app, '/doc')).text()).toBe('good');
    expect(xCache(await get(app, '/doc'))).toBe('HIT');
    expect(calls.count).toBe(2);
  });

  it('counts a write that Redis refused inside the transaction (an error in EXEC\'s replies) as a Redis failure', async () => {
    const refusing = new Proxy(ns.redis, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property === 'multi') {
          return () => {
            const transaction = target.multi();
            const exec = transaction.exec.bind(transaction);
            transaction.exec = (async () => {
              const replies = (await exec()) ?? [];
              return [...replies.slice(0, -1), [new Error('OOM command not allowed when used memory > \'maxmemory\''), null]];
            }) as never;
            return transaction;
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const log = vi.fn();
    const { app, cache } = cached((c) => c.text('good', 200, { 'cache-control': 'max-age=60' }), { log }, refusing);
    expect(await (await get(app, '/doc')).text()).toBe('good');
    expect(cache.stats.errors).toBe(1);
    expect(String(log.mock.calls[0]?.[0])).toMatch(/OOM/);
  });

  it('bypasses the cache when reading fails for another reason (the key is not deleted: it is not known to be garbage)', async () => {
    const { app, cache } = cached((c) => c.text('good', 200, { 'cache-control': 'max-age=60' }), {}, failing(ns.redis, 'hmgetBuffer'));
    const response = await get(app, '/doc');
    expect(await response.text()).toBe('good');
    expect(xCache(response)).toBe('BYPASS');
    expect(cache.stats.errors).toBe(1);
  });

  it.each(['"accept"', '[{}]', '{"a":1}'])('replaces a Vary field that holds %s (JSON, but not a list of names)', async (vary) => {
    const { app } = cached((c) => c.text('good', 200, { 'cache-control': 'max-age=60' }));
    await get(app, '/doc');
    const [, keys] = await ns.redis.scan('0', 'MATCH', `${ns.prefix}*`, 'COUNT', 1000);
    for (const key of keys) await ns.redis.hset(key, 'vary', vary);
    expect(xCache(await get(app, '/doc'))).toBe('MISS');
    expect(xCache(await get(app, '/doc'))).toBe('HIT');
  });

  it('treats a stored response with a corrupt body envelope as a miss', async () => {
    const { app } = cached((c) => c.text('good', 200, { 'cache-control': 'max-age=60' }));
    await get(app, '/doc');
    const [, keys] = await ns.redis.scan('0', 'MATCH', `${ns.prefix}*`, 'COUNT', 1000);
    for (const key of keys) {
      for (const field of await ns.redis.hkeys(key)) {
        if (field !== 'vary') await ns.redis.hset(key, field, Buffer.from([0, 0, 0, 2, 0x7b, 0x7d]));
      }
    }
    const response = await get(app, '/doc');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('good');
    expect(xCache(response)).toBe('MISS');
    expect(xCache(await get(app, '/doc'))).toBe('HIT');
  });

  it('replaces what Redis calls WRONGTYPE (a foreign value under its key) instead of bypassing the cache for good', async () => {
    let foreign = true;
    const wrongType = new Proxy(ns.redis, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property === 'hmgetBuffer' && foreign) {
          return () => Promise.reject(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'));
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const { app, cache } = cached((c) => c.text('good', 200, { 'cache-control': 'max-age=60' }), {}, wrongType);
    const first = await get(app, '/doc');
    expect(xCache(first)).toBe('MISS');
    expect(cache.stats.errors).toBe(0);
    foreign = false;
    expect(xCache(await get(app, '/doc'))).toBe('HIT');
  });

  onRealRedis('ioredis-mock answers HGET on a string with null, where Redis says WRONGTYPE')(
    'replaces a foreign value of the wrong type under its key (a string where it keeps a hash)', async () => {
    const { app } = cached((c) => c.text('good', 200, { 'cache-control': 'max-age=60' }));
    await get(app, '/doc');
    const [, keys] = await ns.redis.scan('0', 'MATCH', `${ns.prefix}*`, 'COUNT', 1000);
    for (const key of keys) await ns.redis.set(key, 'someone else');
    expect(await (await get(app, '/doc')).text()).toBe('good');
    expect(xCache(await get(app, '/doc'))).toBe('HIT');
  },
  );
});

describe('httpCache: concurrency', () => {
  it('does not hand a waiting request another variant: a French reader who waited gets the French page', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { app } = cached(async (c) => {
      await gate;
      const lang = c.req.header('accept-language');
      return c.text(lang === 'fr' ? 'bonjour' : 'hello', 200, { 'cache-control': 'max-age=60', vary: 'Accept-Language' });
    });
    const pending = ['en', 'fr', 'en'].map((lang) => get(app, '/greeting', { 'accept-language': lang }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    const texts = await Promise.all((await Promise.all(pending)).map((r) => r.text()));
    expect(texts).toEqual(['hello', 'bonjour', 'hello']);
  });

  it('does not hand a waiting request with Authorization a response that was not marked shareable (§3.5)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { app } = cached(async (c) => {
      await gate;
      return c.text(`for ${c.req.header('authorization') ?? 'anyone'}`, 200, { 'cache-control': 'max-age=60' });
    });
    const pending = [get(app, '/home'), get(app, '/home', { authorization: 'Bearer bob' })];
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    const texts = await Promise.all((await Promise.all(pending)).map((r) => r.text()));
    expect(texts).toEqual(['for anyone', 'for Bearer bob']);
  });

  it('does not hand a private response to the requests that waited for it: each asks the handler', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { app } = cached(async (c) => {
      await gate;
      return c.text(`for ${c.req.header('cookie')}`, 200, { 'cache-control': 'private' });
    });
    const pending = ['a', 'b', 'c'].map((user) => get(app, '/mine', { cookie: user }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    const responses = await Promise.all(pending);
    const texts = await Promise.all(responses.map((r) => r.text()));
    expect(texts).toEqual(['for a', 'for b', 'for c']);
    expect(responses.map(xCache)).toEqual(['MISS', 'MISS', 'MISS']);
  });
});

describe('httpCache: keys', () => {
  it('keeps ?a=1&b=2 and ?b=2&a=1 apart by default (the query is part of the URI), and one entry with sortQuery', async () => {
    const { app, calls } = cached((c) => c.text('list', 200, { 'cache-control': 'max-age=60' }));
    await get(app, '/list?a=1&b=2');
    await get(app, '/list?b=2&a=1');
    expect(calls.count).toBe(2);
    const sorted = cached((c) => c.text('list', 200, { 'cache-control': 'max-age=60' }), { sortQuery: true, prefix: `${ns.prefix}sorted:` });
    await get(sorted.app, '/list?a=1&b=2');
    expect(xCache(await get(sorted.app, '/list?b=2&a=1'))).toBe('HIT');
    await sorted.app.request('/list?b=2&a=1', { method: 'POST' });
    expect(xCache(await get(sorted.app, '/list?a=1&b=2'))).toBe('MISS'); // the write found the sorted key
  });
});

describe('httpCache: poisoning (a request header the key does not hold)', () => {
  /** A handler that writes its links from the request URL, as many do: @hono/node-server builds that URL from Host. */
  const linking = (c: Context) => c.html(`<a href="${new URL('/next', c.req.url).href}">next</a>`, 200, { 'cache-control': 'max-age=60' });

  it('keys on the host: a page fetched with Host: evil.example is never served to the real site', async () => {
    const { app } = cached(linking);
    const poisoned = await app.request('http://evil.example/page');
    expect(await poisoned.text()).toContain('http://evil.example/next');
    const real = await app.request('http://localhost/page');
    expect(await real.text()).toContain('http://localhost/next');
    expect(xCache(real)).toBe('MISS');
  });

  it('keeps one copy per X-Forwarded-Host when the handler reads it and says so in Vary (a header read belongs in Vary)', async () => {
    const { app } = cached((c) =>
      c.text(`https://${c.req.header('x-forwarded-host') ?? 'localhost'}/next`, 200, { 'cache-control': 'max-age=60', vary: 'X-Forwarded-Host' }),
    );
    await get(app, '/page', { 'x-forwarded-host': 'evil.example' });
    const real = await get(app, '/page');
    expect(await real.text()).toBe('https://localhost/next');
  });
});

describe('httpCache: RFC corners met end to end', () => {
  it('does not serve as fresh a response whose Age is a list (Age: 7200, 0 is 7200 s old, not 0)', async () => {
    const { app, calls } = cached((c) => c.text('old', 200, { 'cache-control': 'max-age=3600', age: '7200, 0', etag: '"o"' }));
    await get(app);
    expect(xCache(await get(app))).not.toBe('HIT');
    expect(calls.count).toBe(2);
  });

  it('does not serve as fresh a response whose Expires is not an HTTP-date (Date.parse would take it and keep it until 2099)', async () => {
    const { app, calls } = cached((c) => c.text('x', 200, { expires: 'Thu, 01 Jan 2099 00:00:00 UTC' }));
    await get(app);
    await get(app);
    expect(calls.count).toBe(2);
  });

  it('reads CDN-Cache-Control before Cache-Control (RFC 9213): stored for 60 s here while the browser is told no-store', async () => {
    const { app } = cached((c) => c.text('x', 200, { 'cache-control': 'no-store', 'cdn-cache-control': 'max-age=60' }));
    await get(app);
    const hit = await get(app);
    expect(xCache(hit)).toBe('HIT');
    expect(hit.headers.get('cache-control')).toBe('no-store');
  });

  it('obeys a CDN-Cache-Control: no-store even where Cache-Control allows a year', async () => {
    const { app, calls } = cached((c) => c.text('x', 200, { 'cache-control': 'max-age=31536000', 'cdn-cache-control': 'no-store' }));
    await get(app);
    await get(app);
    expect(calls.count).toBe(2);
  });

  it('serves one variant to requests whose varied header differs only in the spaces around its commas', async () => {
    const { app, calls } = cached((c) => c.text('compressed', 200, { 'cache-control': 'max-age=60', vary: 'Accept-Encoding' }));
    await get(app, '/page', { 'accept-encoding': 'gzip,br' });
    expect(xCache(await get(app, '/page', { 'accept-encoding': 'gzip, br' }))).toBe('HIT');
    expect(calls.count).toBe(1);
  });

  it('lets a write that succeeds while a miss is in flight win: the old page the miss read is not stored', async () => {
    let version = 1;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { app } = cached(async (c) => {
      if (c.req.method === 'PUT') {
        version++;
        return c.text('saved', 200);
      }
      const read = version;
      if (read === 1) await held; // the GET read version 1 and is slow to answer
      return c.text(`v${read}`, 200, { 'cache-control': 'max-age=60' });
    });
    const slow = get(app, '/doc');
    await new Promise((resolve) => setTimeout(resolve, 10));
    await app.request('/doc', { method: 'PUT' });
    release();
    expect(await (await slow).text()).toBe('v1');
    expect(await (await get(app, '/doc')).text()).toBe('v2');
  });

  it('logs the timeout it gave up after', async () => {
    vi.useFakeTimers();
    const log = vi.fn();
    const { app } = cached((c) => c.text('answered', 200), { timeoutMs: 200, log }, hanging(ns.redis));
    const response = get(app);
    await vi.advanceTimersByTimeAsync(1_000);
    await response;
    expect(String(log.mock.calls[0]?.[0])).toMatch(/200 ms/);
  });
});

describe('httpCache: cases of the public HTTP cache conformance suite (http-tests/cache-tests), in our words', () => {
  it.each([
    ['max-age=003600 (leading zeros are digits)', 'max-age=003600', 'HIT'],
    ['max-age=\'3600\' (single quotes are not quotes)', 'max-age=\'3600\'', 'MISS'],
    ['max-age= 3600 (a space after the =)', 'max-age= 3600', 'MISS'],
    ['extension="max-age=3600", max-age=0 (max-age inside a quoted string is not a directive)', 'extension="max-age=3600", max-age=0', 'MISS'],
    ['max-age=0, extension="max-age=3600" (after the real one)', 'max-age=0, extension="max-age=3600"', 'MISS'],
  ])('reads Cache-Control: %s', async (_, cacheControl, second) => {
    const { app } = cached((c) => c.text('x', 200, { 'cache-control': cacheControl }));
    await get(app);
    expect(xCache(await get(app))).toBe(second);
  });

  it('does not store Proxy-Authentication-Info (RFC 9111 §3.1), and does store the end-to-end fields beside it', async () => {
    const { app } = cached((c) => c.text('x', 200, { 'cache-control': 'max-age=60', 'proxy-authentication-info': 'nextnonce="abc"', 'x-frame-options': 'deny' }));
    await get(app);
    const hit = await get(app);
    expect(xCache(hit)).toBe('HIT');
    expect(hit.headers.get('proxy-authentication-info')).toBeNull();
    expect(hit.headers.get('x-frame-options')).toBe('deny');
  });

  it('invalidates after a successful request of a method it does not know (M-SEARCH is not known to be safe)', async () => {
    const { app } = cached((c) => c.text('x', 200, { 'cache-control': 'max-age=60' }));
    await get(app);
    await app.request('/page', { method: 'M-SEARCH' });
    expect(xCache(await get(app))).toBe('MISS');
  });

  it('keeps the Date it stored (a cache never rewrites Date), and counts Age from it', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T });
    const date = new Date(T).toUTCString();
    const { app } = cached((c) => c.text('x', 200, { 'cache-control': 'max-age=60', date, age: '30' }));
    await get(app);
    vi.setSystemTime(T + 3_000);
    const hit = await get(app);
    expect(hit.headers.get('date')).toBe(date);
    expect(hit.headers.get('age')).toBe('33');
  });

  it('updates a stored field from a 304 and serves the update, the Content-Length excepted (§3.2)', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T });
    let round = 0;
    const { app } = cached((c) => {
      round++;
      if (c.req.header('if-none-match') === '"e"') return c.body(null, 304, { etag: '"e"', 'cache-control': 'max-age=60', 'x-test-header': 'B', 'content-length': '10' });
      return c.text('hello', 200, { etag: '"e"', 'cache-control': 'max-age=1', 'x-test-header': 'A' });
    });
    await get(app);
    vi.setSystemTime(T + 3_000);
    const revalidated = await get(app);
    expect(xCache(revalidated)).toBe('STALE');
    expect(revalidated.headers.get('x-test-header')).toBe('B');
    expect(revalidated.headers.get('content-length')).not.toBe('10');
    expect(xCache(await get(app))).toBe('HIT');
    expect(round).toBe(2);
  });
});

describe('httpCache: a log that throws', () => {
  it('answers from the handler (BYPASS) when Redis is down and the log itself throws, never a 500', async () => {
    const { app } = cached((c) => c.text('still here', 200), {
      log: () => {
        throw new Error('the logger is broken');
      },
    }, failing(ns.redis));
    const response = await get(app);
    expect(response.status).toBe(200);
    expect(xCache(response)).toBe('BYPASS');
  });
});
