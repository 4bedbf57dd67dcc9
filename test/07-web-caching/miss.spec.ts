import { describe, expect, it, vi } from 'vitest';
import { Hono, type Context } from 'hono';
import { keep, miss, type Filled, type KeepOptions } from '@kata/07-web-caching/miss.js';
import { Fills, rfc9111Rules } from '../../provided/http-cache-parts.js';
import type { StoredResponse } from '../../provided/stored-response.js';

type Handler = (c: Context) => Response | Promise<Response>;

/** An app whose middleware runs every GET as a miss of one key, saving into `saved`; `calls` counts the handler. */
function missing(handler: Handler, options: Partial<KeepOptions> = {}) {
  const saved: StoredResponse[] = [];
  const calls = { count: 0 };
  const fills = new Fills<Filled>();
  const outcomes: string[] = [];
  const keepOptions: KeepOptions = { rules: rfc9111Rules, maxBodyBytes: 1024, heuristicMaxSeconds: 0, save: async (s) => saved.push(s), ...options };
  const app = new Hono()
    .use(async (c, next) => {
      outcomes.push(await miss(c, next, 'the-key', fills, keepOptions));
    })
    .get('*', (c) => {
      calls.count++;
      return handler(c);
    });
  return { app, saved, calls, outcomes };
}

describe('keep: what a shared cache keeps of a response (the source keeps the body, as JSON)', () => {
  it('keeps the status, the header fields and the body as bytes, with its freshness, and hands the same bytes on', async () => {
    const { app, saved } = missing((c) => c.html('<h1>gone</h1>', 404, { 'cache-control': 'max-age=60', etag: '"g1"' }));
    const response = await app.request('/page');
    expect(await response.text()).toBe('<h1>gone</h1>');
    expect(saved).toHaveLength(1);
    const [stored] = saved;
    expect(stored!.status).toBe(404);
    expect(new Headers(stored!.headers).get('etag')).toBe('"g1"');
    expect(new Headers(stored!.headers).get('content-type')).toMatch(/^text\/html/);
    expect(new TextDecoder().decode(stored!.body)).toBe('<h1>gone</h1>');
    expect(stored!.freshness).toBe(60);
  });

  it('keeps nothing the rules refuse (a private page), and the response goes out untouched', async () => {
    const { app, saved } = missing((c) => c.text('mine', 200, { 'cache-control': 'private, max-age=60' }));
    expect(await (await app.request('/page')).text()).toBe('mine');
    expect(saved).toEqual([]);
  });

  it('keeps nothing over maxBodyBytes, and delivers every byte of it', async () => {
    const big = 'x'.repeat(5000);
    const { app, saved } = missing((c) => c.text(big, 200, { 'cache-control': 'max-age=60' }));
    expect(await (await app.request('/page')).text()).toBe(big);
    expect(saved).toEqual([]);
  });

  it('keeps nothing when a write voided the fill while the handler ran', async () => {
    const save = vi.fn(async () => {});
    const app = new Hono()
      .use(async (c, next) => {
        await next();
        await keep(c, Date.now(), { rules: rfc9111Rules, maxBodyBytes: 1024, heuristicMaxSeconds: 0, save }, () => true);
      })
      .get('*', (c) => c.text('old', 200, { 'cache-control': 'max-age=60' }));
    expect(await (await app.request('/page')).text()).toBe('old');
    expect(save).not.toHaveBeenCalled();
  });
});

describe('miss: concurrent misses of one URL run the handler once', () => {
  it('runs the handler once for 20 concurrent misses; the others are served its response (HIT)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { app, calls, outcomes } = missing(async (c) => {
      await gate;
      return c.text('slow page', 200, { 'cache-control': 'max-age=60' });
    });
    const pending = Array.from({ length: 20 }, () => app.request('/page'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    const texts = await Promise.all((await Promise.all(pending)).map((r) => r.text()));
    expect(texts).toEqual(Array(20).fill('slow page'));
    expect(calls.count).toBe(1);
    expect(outcomes.sort()).toEqual([...Array(19).fill('HIT'), 'MISS']);
  });

  it('does not hand a private response to the requests that waited for it: each asks the handler', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { app, calls } = missing(async (c) => {
      await gate;
      return c.text(`for ${c.req.header('cookie')}`, 200, { 'cache-control': 'private' });
    });
    const pending = ['a', 'b', 'c'].map((user) => app.request('/page', { headers: { cookie: user } }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    expect(await Promise.all((await Promise.all(pending)).map((r) => r.text()))).toEqual(['for a', 'for b', 'for c']);
    expect(calls.count).toBe(3);
  });
});
