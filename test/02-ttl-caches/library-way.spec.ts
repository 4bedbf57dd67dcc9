import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LRUCache } from 'lru-cache';
import { createByteBudgetCache, createLoadingCache, createTtlCache } from '@kata/02-ttl-caches/library-way.js';
import { expectRefusal } from '../support/refusal.js';

// Every test here runs on vitest's fake clock: Date, performance and timers are fake.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});
const now = () => Date.now();

describe('the trap: lru-cache under vi.useFakeTimers()', () => {
  it('a plain new LRUCache({ ttl }) never expires: it took the real performance when it was imported', () => {
    const cache = new LRUCache<string, number>({ max: 10, ttl: 1_000 });
    cache.set('a', 1);
    vi.advanceTimersByTime(60_000);
    expect(cache.get('a')).toBe(1);
  });

  it('passing the faked performance does not help: its clock starts at 0, which lru-cache reads as "no TTL"', () => {
    const cache = new LRUCache<string, number>({ max: 10, ttl: 1_000, perf: performance });
    cache.set('a', 1);
    vi.advanceTimersByTime(60_000);
    expect(cache.getRemainingTTL('a')).toBe(Number.POSITIVE_INFINITY);
  });

  it('the fix: perf: { now: () => Date.now() } (the fake Date starts at today, not at 0)', () => {
    const cache = new LRUCache<string, number>({ max: 10, ttl: 1_000, perf: { now } });
    cache.set('a', 1);
    vi.advanceTimersByTime(1_001);
    expect(cache.get('a')).toBeUndefined();
  });
});

describe('createTtlCache (max + ttl)', () => {
  it('forgets an entry once its TTL has passed, on the clock you give it', () => {
    const cache = createTtlCache<string, number>({ max: 10, ttlMs: 1_000, now });
    cache.set('a', 1);
    vi.advanceTimersByTime(999);
    expect(cache.get('a')).toBe(1);
    vi.advanceTimersByTime(2);
    expect(cache.get('a')).toBeUndefined();
  });

  it('holds at most max entries and evicts the least recently used', () => {
    const cache = createTtlCache<string, number>({ max: 2, ttlMs: 1_000, now });
    cache.set('a', 1).set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect([...cache.keys()].sort()).toEqual(['a', 'c']);
  });
});

describe('the numbers lru-cache reads as "no limit": refused at the call, as TtlCache refuses them', () => {
  it('refuses a TTL of 0 or NaN (lru-cache: "never expires") and a max of 0 (lru-cache: "no bound") with a RangeError that names it', async () => {
    await expectRefusal(() => createTtlCache({ max: 10, ttlMs: 0, now }), RangeError, 'ttlMs');
    await expectRefusal(() => createTtlCache({ max: 10, ttlMs: Number.NaN, now }), RangeError, 'ttlMs');
    await expectRefusal(() => createTtlCache({ max: 0, ttlMs: 1_000, now }), RangeError, 'max');
    await expectRefusal(() => createByteBudgetCache({ maxBytes: 0, ttlMs: 1_000, now }), RangeError, 'maxBytes');
    await expectRefusal(() => createByteBudgetCache({ maxBytes: 100, ttlMs: 0, now }), RangeError, 'ttlMs');
    const load = async (id: number) => ({ id });
    await expectRefusal(() => createLoadingCache(load, { max: 0, ttlMs: 1_000, now }), RangeError, 'max');
    await expectRefusal(() => createLoadingCache(load, { max: 10, ttlMs: Number.NaN, now }), RangeError, 'ttlMs');
  });
});

describe('createByteBudgetCache (maxSize + sizeCalculation)', () => {
  it('counts UTF-8 bytes of key and value, not characters', () => {
    const cache = createByteBudgetCache({ maxBytes: 1_000, ttlMs: 60_000, now });
    cache.set('k', 'é'.repeat(10)); // 1 + 20 bytes
    expect(cache.calculatedSize).toBe(21);
  });

  it('evicts the least recently used entries until a new one fits', () => {
    const cache = createByteBudgetCache({ maxBytes: 100, ttlMs: 60_000, now });
    cache.set('a', 'x'.repeat(39)).set('b', 'x'.repeat(39)); // 40 bytes each
    cache.get('a');
    cache.set('c', 'x'.repeat(39));
    expect(cache.has('a')).toBe(true);
    expect(cache.has('b')).toBe(false);
    expect(cache.calculatedSize).toBeLessThanOrEqual(100);
  });

  it('refuses a value bigger than the whole budget instead of emptying the cache for it', () => {
    const cache = createByteBudgetCache({ maxBytes: 100, ttlMs: 60_000, now });
    cache.set('small', 'x');
    cache.set('huge', 'x'.repeat(500));
    expect(cache.has('huge')).toBe(false);
    expect(cache.get('small')).toBe('x');
  });

  it('stores an empty string under an empty key (lru-cache throws on a size of 0)', () => {
    const cache = createByteBudgetCache({ maxBytes: 100, ttlMs: 60_000, now });
    cache.set('', '');
    expect(cache.get('')).toBe('');
  });

  it('still expires entries after ttlMs', () => {
    const cache = createByteBudgetCache({ maxBytes: 100, ttlMs: 1_000, now });
    cache.set('a', 'x');
    vi.advanceTimersByTime(1_001);
    expect(cache.get('a')).toBeUndefined();
  });
});

describe('createLoadingCache (fetchMethod + allowStale)', () => {
  it('loads a missing key once, however many callers fetch it at the same time', async () => {
    const load = vi.fn(async (id: number) => ({ id }));
    const cache = createLoadingCache(load, { max: 10, ttlMs: 1_000, now });
    const [a, b, c] = await Promise.all([cache.fetch(1), cache.fetch(1), cache.fetch(1)]);
    expect(a).toEqual({ id: 1 });
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('past the TTL, answers at once with the stale value and reloads in the background', async () => {
    let version = 0;
    const load = vi.fn(async (id: number) => ({ id, version: ++version }));
    const cache = createLoadingCache(load, { max: 10, ttlMs: 1_000, now });
    await cache.fetch(1);
    vi.advanceTimersByTime(1_001);
    expect(await cache.fetch(1)).toEqual({ id: 1, version: 1 }); // stale, served without waiting
    expect(load).toHaveBeenCalledTimes(2); // the reload has started
    await vi.runAllTimersAsync();
    expect(await cache.fetch(1)).toEqual({ id: 1, version: 2 });
  });
});
