import { describe, expect, it } from 'vitest';
import { CacheMetrics } from '@kata/08-best-practices/metrics.js';
import { expectRefusal } from '../support/refusal.js';

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
  });

  it('keeps each cache name apart, as a label, in counts() too', async () => {
    const metrics = new CacheMetrics();
    metrics.hit('users');
    metrics.miss('products');
    metrics.error('products');
    metrics.staleServed('products');
    metrics.loaded('products', 4);
    expect(await metrics.counts('users')).toEqual({ hits: 1, misses: 0, errors: 0, loads: 0, loadSeconds: 0, stale: 0, hitRate: 1 });
    expect(await metrics.counts('products')).toEqual({ hits: 0, misses: 1, errors: 1, loads: 1, loadSeconds: 4, stale: 1, hitRate: 0 });
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

  it('refuses an empty cache name (TypeError) and a load time that is negative or not a number (RangeError)', async () => {
    const metrics = new CacheMetrics();
    await expectRefusal(() => metrics.hit(''), TypeError, 'cache');
    await expectRefusal(() => metrics.loaded('users', -1), RangeError, 'seconds');
    await expectRefusal(() => metrics.loaded('users', Number.NaN), RangeError, 'seconds');
  });
});
