import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { semanticsRules } from '@kata/07-web-caching/library-way.js';
import { httpCache } from '@kata/07-web-caching/http-cache.js';
import { useRedis } from '../support/redis.js';
import { T, core, freshnessCases, httpDate, storableCases } from './rules-cases.js';

const ns = useRedis();
const url = 'http://localhost/items?page=2';

describe('semanticsRules: http-cache-semantics answers the same questions', () => {
  it.each(core(storableCases))('$name: storable is $storable', ({ request, status, headers, storable }) => {
    expect(semanticsRules.isStorable(new Request(url, request), new Response(null, { status: status ?? 200, headers }))).toBe(storable);
  });

  it.each(core(freshnessCases))('$name', ({ status, headers, heuristicMaxSeconds, seconds }) => {
    expect(semanticsRules.freshnessLifetime(new Response(null, { status: status ?? 200, headers }), { now: T, heuristicMaxSeconds })).toBe(seconds);
  });

  it('guesses from Last-Modified only when the app opts in, and no longer than heuristicMaxSeconds (the library alone guesses always, with no cap)', () => {
    const response = new Response(null, { headers: { date: httpDate(T), 'last-modified': httpDate(T - 10 * 86_400_000) } });
    expect(semanticsRules.freshnessLifetime(response, { now: T })).toBe(0);
    expect(semanticsRules.freshnessLifetime(response, { now: T, heuristicMaxSeconds: 3_600 })).toBe(3_600);
  });

  it('keeps the freshness the handler set explicitly, however long (max-age is not capped by heuristicMaxSeconds)', () => {
    const response = new Response(null, { headers: { 'cache-control': 'max-age=86400' } });
    expect(semanticsRules.freshnessLifetime(response, { now: T, heuristicMaxSeconds: 60 })).toBe(86_400);
    const expiring = new Response(null, { headers: { date: httpDate(T), expires: httpDate(T + 7_200_000) } });
    expect(semanticsRules.freshnessLifetime(expiring, { now: T, heuristicMaxSeconds: 60 })).toBe(7_200);
  });

  it('drives the same middleware: a second GET is a HIT, and a private page is not stored', async () => {
    let calls = 0;
    const app = new Hono()
      .use(httpCache({ redis: ns.redis, prefix: ns.prefix, rules: semanticsRules }))
      .get('/shared', (c) => {
        calls++;
        return c.text('for everyone', 200, { 'cache-control': 'max-age=60' });
      })
      .get('/mine', (c) => {
        calls++;
        return c.text('for me', 200, { 'cache-control': 'private, max-age=60' });
      });
    await app.request('/shared');
    expect((await app.request('/shared')).headers.get('x-cache')).toBe('HIT');
    await app.request('/mine');
    await app.request('/mine');
    expect(calls).toBe(3);
  });
});
