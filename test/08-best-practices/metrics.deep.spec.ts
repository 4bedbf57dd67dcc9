import { describe, expect, it } from 'vitest';
import { CacheMetrics } from '@kata/08-best-practices/metrics.js';

describe('CacheMetrics, to the letter of the text format', () => {
  it('types its metrics: counters, and a histogram for load times', async () => {
    const metrics = new CacheMetrics();
    metrics.hit('users');
    const text = await metrics.metrics();
    expect(text).toMatch(/^# TYPE cache_hits_total counter$/m);
    expect(text).toMatch(/^# TYPE cache_load_duration_seconds histogram$/m);
  });

  it('escapes a cache name with quotes or a newline, so the scrape stays one sample per line', async () => {
    const metrics = new CacheMetrics();
    metrics.hit('say "hi"\nnow');
    expect(await metrics.metrics()).toContain('cache_hits_total{cache="say \\"hi\\"\\nnow"} 1');
  });

  it('counts loads and the seconds they took per cache, from the histogram\'s _count and _sum', async () => {
    const metrics = new CacheMetrics();
    metrics.loaded('users', 0.02);
    metrics.loaded('users', 0.03);
    metrics.loaded('products', 4);
    const users = await metrics.counts('users');
    expect(users.loads).toBe(2);
    expect(users.loadSeconds).toBeCloseTo(0.05);
    expect(await metrics.counts('products')).toMatchObject({ loads: 1, loadSeconds: 4 });
  });

  it('takes a load of 0 s (a loader answered from its own memory)', async () => {
    const metrics = new CacheMetrics();
    metrics.loaded('users', 0);
    expect(await metrics.counts('users')).toMatchObject({ loads: 1, loadSeconds: 0 });
  });

  it('describes every metric (# HELP) and spreads load times over buckets from 1 ms to 5 s', async () => {
    const metrics = new CacheMetrics();
    metrics.loaded('users', 0.002);
    const text = await metrics.metrics();
    for (const name of ['cache_hits_total', 'cache_misses_total', 'cache_errors_total', 'cache_stale_served_total', 'cache_load_duration_seconds']) {
      expect(text).toMatch(new RegExp(`^# HELP ${name} \\S`, 'm'));
    }
    const buckets = [...text.matchAll(/^cache_load_duration_seconds_bucket\{le="([^"]+)"/gm)].map((m) => m[1]);
    expect(buckets).toEqual(['0.001', '0.005', '0.01', '0.05', '0.1', '0.5', '1', '5', '+Inf']);
  });

  it('refuses a blank cache name in every method and says what it got', async () => {
    const metrics = new CacheMetrics();
    expect(() => metrics.error('  ')).toThrow(/CacheMetrics: a cache name is a non-empty string, got "  "/);
    expect(() => metrics.staleServed('')).toThrow(TypeError);
    expect(() => metrics.miss(undefined as never)).toThrow(/CacheMetrics: a cache name is a non-empty string, got undefined/);
    await expect(metrics.counts('')).rejects.toThrow(TypeError);
    expect(() => metrics.loaded('', 1)).toThrow(TypeError);
    expect(() => metrics.loaded('users', -1)).toThrow(/CacheMetrics.loaded: seconds .*got -1/);
  });

  it('refuses an infinite load time, and counts nothing for a refused call', async () => {
    const metrics = new CacheMetrics();
    expect(() => metrics.loaded('users', Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => metrics.hit('')).toThrow(TypeError);
    expect(await metrics.counts('users')).toMatchObject({ hits: 0, loads: 0 });
  });

  it('answers the Content-Type Prometheus expects for its text', () => {
    expect(new CacheMetrics().registry.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});
