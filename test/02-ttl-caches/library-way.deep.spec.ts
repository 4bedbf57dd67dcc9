import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createByteBudgetCache, createLoadingCache, createTtlCache } from '@kata/02-ttl-caches/library-way.js';

// Every test here runs on vitest's fake clock: Date, performance and timers are fake.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});
const now = () => Date.now();

describe('library way, deeper: the numbers lru-cache reads as "no limit", and a clock that reads 0', () => {
  it('names the option and the value it refuses', () => {
    expect(() => createTtlCache({ max: 10, ttlMs: 0, now })).toThrow(RangeError);
    expect(() => createTtlCache({ max: 10, ttlMs: Number.NaN, now })).toThrow(/ttlMs .*NaN/);
    expect(() => createTtlCache({ max: 0, ttlMs: 1_000, now })).toThrow(/max .*0/);
    expect(() => createByteBudgetCache({ maxBytes: 0, ttlMs: 1_000, now })).toThrow(/maxBytes .*0/);
    expect(() => createByteBudgetCache({ maxBytes: 100, ttlMs: 0, now })).toThrow(/ttlMs .*0/);
    const load = async (id: number) => ({ id });
    expect(() => createLoadingCache(load, { max: 0, ttlMs: 1_000, now })).toThrow(/max .*0/);
    expect(() => createLoadingCache(load, { max: 10, ttlMs: Number.NaN, now })).toThrow(/ttlMs .*NaN/);
  });

  it('says what was wrong: the option\'s name and its value', () => {
    expect(() => createTtlCache({ max: 1.5, ttlMs: 1_000, now })).toThrow(
      new RangeError('max must be a positive whole number (lru-cache reads 0 as "no limit"), got 1.5'),
    );
  });

  /** A clock that starts at 0, as a test's manual clock often does, moved with the fake timers. */
  function clockFromZero() {
    const start = Date.now();
    return () => Date.now() - start;
  }

  it('expires an entry written while your clock reads 0 (lru-cache takes a start time of 0 for "no TTL")', () => {
    const cache = createTtlCache<string, number>({ max: 10, ttlMs: 1_000, now: clockFromZero() });
    cache.set('a', 1);
    vi.advanceTimersByTime(1);
    cache.set('b', 2);
    vi.advanceTimersByTime(998);
    expect(cache.get('a')).toBe(1);
    vi.advanceTimersByTime(2);
    expect(cache.get('a')).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(cache.get('b')).toBeUndefined();
  });

  it('without a clock, uses lru-cache\'s own (performance.now())', () => {
    const cache = createTtlCache<string, number>({ max: 10, ttlMs: 1_000 });
    cache.set('a', 1);
    expect(cache.get('a')).toBe(1);
    expect(cache.getRemainingTTL('a')).toBeGreaterThan(0);
  });

  it('does the same for the byte-budget and the loading cache', async () => {
    const bytes = createByteBudgetCache({ maxBytes: 100, ttlMs: 1_000, now: clockFromZero() });
    bytes.set('a', 'x');
    const load = vi.fn(async (id: number) => ({ id }));
    const loading = createLoadingCache(load, { max: 10, ttlMs: 1_000, now: clockFromZero() });
    await loading.fetch(1);
    vi.advanceTimersByTime(1_001);
    expect(bytes.get('a')).toBeUndefined();
    expect(loading.getRemainingTTL(1)).toBeLessThanOrEqual(0);
  });
});

describe('library way, deeper: an expired entry is absent to every method (lru-cache\'s own size, delete() and the rest still see it)', () => {
  /** A cache with a live key and an expired one, on the fake clock. */
  function withExpired() {
    const cache = createTtlCache<string, number>({ max: 10, ttlMs: 1_000, now });
    cache.set('old', 1);
    vi.advanceTimersByTime(500);
    cache.set('new', 2);
    vi.advanceTimersByTime(501); // old has expired, new has 499 ms left
    return cache;
  }

  it('size counts only live entries', () => {
    expect(withExpired().size).toBe(1);
  });

  it('delete() of an expired key answers false, as for a missing one', () => {
    const cache = withExpired();
    expect(cache.delete('old')).toBe(false);
    expect(cache.delete('missing')).toBe(false);
    expect(cache.delete('new')).toBe(true);
  });

  it('getRemainingTTL() of an expired key answers 0, as for a missing one, not a negative number', () => {
    const cache = withExpired();
    expect(cache.getRemainingTTL('old')).toBe(cache.getRemainingTTL('missing'));
    expect(cache.getRemainingTTL('new')).toBe(499);
  });

  it('pop() answers the least recently used live value, never an expired one', () => {
    const cache = withExpired();
    expect(cache.pop()).toBe(2);
    expect(cache.pop()).toBeUndefined();
  });

  it('info() and dump() leave an expired entry out', () => {
    const cache = withExpired();
    expect(cache.info('old')).toBeUndefined();
    expect(cache.info('new')?.value).toBe(2);
    expect(cache.dump().map(([key]) => key)).toEqual(['new']);
  });

  it('the byte budget counts only live entries', () => {
    const cache = createByteBudgetCache({ maxBytes: 100, ttlMs: 1_000, now });
    cache.set('a', 'xxxx');
    vi.advanceTimersByTime(500);
    cache.set('b', 'yy');
    vi.advanceTimersByTime(501);
    expect(cache.calculatedSize).toBe(3);
    expect(cache.size).toBe(1);
  });

  it('the loading cache serves a stale value through fetch() only: get(), peek() and keys() answer for it as for a missing key', async () => {
    let version = 0;
    const cache = createLoadingCache(async (id: number) => ({ id, version: ++version }), { max: 10, ttlMs: 1_000, now });
    await cache.fetch(1);
    vi.advanceTimersByTime(1_001);
    expect([cache.peek(1), cache.get(1), cache.has(1), [...cache.keys()]]).toEqual([undefined, undefined, false, []]);
    expect(await cache.fetch(2)).toEqual({ id: 2, version: 2 });
  });

  it('the loading cache still answers fetch() with the stale value at once, and fetch(key, { allowStale: false }) waits for the reload', async () => {
    let version = 0;
    const cache = createLoadingCache(async (id: number) => ({ id, version: ++version }), { max: 10, ttlMs: 1_000, now });
    await cache.fetch(1);
    vi.advanceTimersByTime(1_001);
    expect(await cache.fetch(1)).toEqual({ id: 1, version: 1 });
    await vi.runAllTimersAsync(); // the reload in the background ends
    vi.advanceTimersByTime(1_001);
    expect(await cache.fetch(1, { allowStale: false })).toEqual({ id: 1, version: 3 });
  });
});

describe('library way, deeper: a reload that fails in the background', () => {
  it('does not cache a failed load: the next fetch tries again', async () => {
    const hiccup = new Error('database hiccup');
    let attempt = 0;
    const load = vi.fn(async (id: number) => {
      attempt++;
      if (attempt === 1) throw hiccup;
      return { id };
    });
    const cache = createLoadingCache(load, { max: 10, ttlMs: 1_000, now });
    await expect(cache.fetch(1)).rejects.toBe(hiccup);
    await expect(cache.fetch(1)).resolves.toEqual({ id: 1 });
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('keeps serving the stale value (a read that has a value never fails), tries again on the next fetch, and reports the failure', async () => {
    let down = false;
    let version = 0;
    const failures: unknown[] = [];
    const outage = new Error('database down');
    const cache = createLoadingCache(
      async (id: number) => {
        if (down) throw outage;
        return { id, version: ++version };
      },
      { max: 10, ttlMs: 1_000, now, onReloadError: (error, key) => failures.push([error, key]) },
    );
    await cache.fetch(1);
    vi.advanceTimersByTime(1_001);
    down = true;
    expect(await cache.fetch(1)).toEqual({ id: 1, version: 1 }); // stale, served at once; its reload fails
    await vi.runAllTimersAsync();
    expect(await cache.fetch(1)).toEqual({ id: 1, version: 1 }); // still served, and reloaded again
    await vi.runAllTimersAsync();
    expect(failures).toEqual([[outage, 1], [outage, 1]]);
    down = false;
    await cache.fetch(1);
    await vi.runAllTimersAsync();
    expect(await cache.fetch(1)).toEqual({ id: 1, version: 2 });
  });

  it('still rejects a load that fails with nothing stale to serve, and reports only background reloads', async () => {
    const failures: unknown[] = [];
    const outage = new Error('database down');
    const cache = createLoadingCache(
      async (_id: number): Promise<{ id: number }> => {
        throw outage;
      },
      { max: 10, ttlMs: 1_000, now, onReloadError: (error) => failures.push(error) },
    );
    await expect(cache.fetch(1)).rejects.toBe(outage);
    expect(failures).toEqual([]);
  });
});
