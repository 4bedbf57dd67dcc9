import { describe, expect, it } from 'vitest';
import { CacheMetrics } from '@kata/08-best-practices/metrics.js';

/** The value of one sample in Prometheus text: `name{cache="users"} 3`. */
function sample(text: string, name: string, cache: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(`cache="${cache}"`) && !l.includes('le="'));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('CacheMetrics', () => {
  it('after 3 hits, 2 misses and 2 loads, a scrape of the text shows exactly those counters', async () => {
    const metrics = new CacheMetrics();
    for (let i = 0; i < 3; i++) metrics.hit('users');
    metrics.miss('users');
    metrics.miss('users');
    metrics.loaded('users', 0.02);
    metrics.loaded('users', 0.03);
    const text = await metrics.metrics();
    expect(sample(text, 'cache_hits_total', 'users')).toBe(3);
    expect(sample(text, 'cache_misses_total', 'users')).toBe(2);
    expect(sample(text, 'cache_load_duration_seconds_count', 'users')).toBe(2);
    expect(sample(text, 'cache_load_duration_seconds_sum', 'users')).toBeCloseTo(0.05);
    expect(text).toMatch(/^# TYPE cache_hits_total counter$/m);
    expect(text).toMatch(/^# TYPE cache_load_duration_seconds histogram$/m);
  });

  it('keeps each cache name apart, as a label', async () => {
    const metrics = new CacheMetrics();
    metrics.hit('users');
    metrics.miss('products');
    metrics.error('products');
    metrics.staleServed('products');
    expect(await metrics.counts('users')).toEqual({ hits: 1, misses: 0, errors: 0, loads: 0, loadSeconds: 0, stale: 0, hitRate: 1 });
    expect(await metrics.counts('products')).toEqual({ hits: 0, misses: 1, errors: 1, loads: 0, loadSeconds: 0, stale: 1, hitRate: 0 });
  });

  it('counts a cache nobody has read yet as zeros with a hit rate of null, not NaN', async () => {
    expect(await new CacheMetrics().counts('users')).toEqual({ hits: 0, misses: 0, errors: 0, loads: 0, loadSeconds: 0, stale: 0, hitRate: null });
  });

  it('lets two CacheMetrics live side by side (prom-client\'s global registry would refuse the second)', async () => {
    const a = new CacheMetrics();
    const b = new CacheMetrics();
    a.hit('users');
    expect((await a.counts('users')).hits).toBe(1);
    expect((await b.counts('users')).hits).toBe(0);
  });

  it('escapes a cache name with quotes or a newline, so the scrape stays one sample per line', async () => {
    const metrics = new CacheMetrics();
    metrics.hit('say "hi"\nnow');
    const text = await metrics.metrics();
    expect(text).toContain('cache_hits_total{cache="say \\"hi\\"\\nnow"} 1');
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

  it('refuses a blank cache name and says what it got', async () => {
    const metrics = new CacheMetrics();
    expect(() => metrics.error('  ')).toThrow(/CacheMetrics: a cache name is a non-empty string, got "  "/);
    expect(() => metrics.staleServed('')).toThrow(TypeError);
    expect(() => metrics.miss(undefined as never)).toThrow(/CacheMetrics: a cache name is a non-empty string, got undefined/);
    await expect(metrics.counts('')).rejects.toThrow(TypeError);
    expect(() => metrics.loaded('', 1)).toThrow(TypeError);
    expect(() => metrics.loaded('users', -1)).toThrow(/CacheMetrics.loaded: seconds .*got -1/);
  });

  it('refuses an empty cache name and a load time that is negative, NaN or infinite', () => {
    const metrics = new CacheMetrics();
    expect(() => metrics.hit('')).toThrow(TypeError);
    expect(() => metrics.miss(undefined as never)).toThrow(TypeError);
    for (const seconds of [-1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => metrics.loaded('users', seconds)).toThrow(RangeError);
  });
});
