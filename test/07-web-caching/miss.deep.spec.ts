import { describe, expect, it } from 'vitest';
import { Hono, type Context } from 'hono';
import { miss, type Filled, type KeepOptions } from '@kata/07-web-caching/miss.js';
import { Fills, rfc9111Rules } from '../../provided/http-cache-parts.js';
import type { StoredResponse } from '../../provided/stored-response.js';

type Handler = (c: Context) => Response | Promise<Response>;

function missing(handler: Handler, options: Partial<KeepOptions> = {}) {
  const saved: StoredResponse[] = [];
  const calls = { count: 0 };
  const fills = new Fills<Filled>();
  const keepOptions: KeepOptions = { rules: rfc9111Rules, maxBodyBytes: 1024, heuristicMaxSeconds: 0, save: async (s) => saved.push(s), ...options };
  const app = new Hono()
    .use(async (c, next) => {
      await miss(c, next, 'the-key', fills, keepOptions);
    })
    .get('*', (c) => {
      calls.count++;
      return handler(c);
    });
  return { app, saved, calls };
}

/** Requests that all start before the handler answers: the first runs it, the others wait. */
async function together(app: Hono, headers: Array<Record<string, string>>, release: () => void) {
  const pending = headers.map((h) => app.request('/page', { headers: h }));
  await new Promise((resolve) => setTimeout(resolve, 10));
  release();
  return Promise.all((await Promise.all(pending)).map((r) => r.text()));
}

describe('miss: the corners', () => {
  it('does not hand a waiting request another variant: a French reader who waited gets the French page', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { app } = missing(async (c) => {
      await gate;
      return c.text(c.req.header('accept-language') === 'fr' ? 'bonjour' : 'hello', 200, { 'cache-control': 'max-age=60', vary: 'Accept-Language' });
    });
    expect(await together(app, [{ 'accept-language': 'en' }, { 'accept-language': 'fr' }], release)).toEqual(['hello', 'bonjour']);
  });

  it('does not hand a waiting request with Authorization a response that was not marked shareable (§3.5)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { app, calls } = missing(async (c) => {
      await gate;
      return c.text(c.req.header('authorization') ?? 'anonymous', 200, { 'cache-control': 'max-age=60' });
    });
    expect(await together(app, [{}, { authorization: 'Bearer bob' }], release)).toEqual(['anonymous', 'Bearer bob']);
    expect(calls.count).toBe(2);
  });

  it('keeps the Age a response arrived with, plus the time the handler took', async () => {
    const { app, saved } = missing((c) => c.text('aged', 200, { 'cache-control': 'max-age=60', age: '20' }));
    await app.request('/page');
    expect(Math.floor(saved[0]!.initialAge)).toBe(20);
  });

  it('keeps a body of exactly maxBodyBytes (the limit is the largest body kept)', async () => {
    const { app, saved } = missing((c) => c.text('x'.repeat(1024), 200, { 'cache-control': 'max-age=60' }));
    await app.request('/page');
    expect(saved).toHaveLength(1);
  });

  it('guesses a lifetime from Last-Modified only up to heuristicMaxSeconds', async () => {
    const date = new Date().toUTCString();
    const { app, saved } = missing((c) => c.text('old', 200, { date, 'last-modified': 'Thu, 01 Jan 2015 00:00:00 GMT' }), { heuristicMaxSeconds: 30 });
    await app.request('/page');
    expect(saved[0]!.freshness).toBe(30);
  });
});
