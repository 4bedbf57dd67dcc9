import { afterEach, describe, expect, it, vi } from 'vitest';
import { TtlCache } from '@kata/02-ttl-caches/ttl-cache.js';
import { manualClock } from './manual-clock.js';

describe('TtlCache (like cachetools.TTLCache)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('returns a value until its TTL has passed, then forgets it', () => {
    const clock = manualClock();
    const cache = new TtlCache<string, number>({ maxSize: 10, ttlMs: 1_000, now: clock.now });
    cache.set('a', 1);
    clock.advance(999);
    expect(cache.get('a')).toBe(1);
    clock.advance(1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.has('a')).toBe(false);
  });

  it('counts the TTL from the last write: setting a key again gives it a new TTL', () => {
    const clock = manualClock();
    const cache = new TtlCache<string, number>({ maxSize: 10, ttlMs: 1_000, now: clock.now });
    cache.set('a', 1);
    clock.advance(800);
    cache.set('a', 2);
    clock.advance(800);
    expect(cache.get('a')).toBe(2);
  });

  it('does not extend the TTL on a read: a hot key still expires on time', () => {
    const clock = manualClock();
    const cache = new TtlCache<string, number>({ maxSize: 10, ttlMs: 1_000, now: clock.now });
    cache.set('a', 1);
    for (let i = 0; i < 9; i++) {
      clock.advance(100);
      cache.get('a');
    }
    clock.advance(100);
    expect(cache.get('a')).toBeUndefined();
  });

  it('evicts the least recently used live entry when it is full (a get counts as a use)', () => {
    const clock = manualClock();
    const cache = new TtlCache<string, number>({ maxSize: 2, ttlMs: 1_000, now: clock.now });
    cache.set('a', 1).set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect(cache.has('a')).toBe(true);
    expect(cache.has('b')).toBe(false);
    expect(cache.size).toBe(2);
  });

  it('peek and has read without counting as a use', () => {
    const cache = new TtlCache<string, number>({ maxSize: 2, ttlMs: 1_000, now: manualClock().now });
    cache.set('a', 1).set('b', 2);
    expect(cache.peek('a')).toBe(1);
    expect(cache.has('a')).toBe(true);
    cache.set('c', 3);
    expect(cache.has('a')).toBe(false);
  });

  it('keeps falsy values: a cached 0 or undefined is there, not missing', () => {
    const cache = new TtlCache<string, number | undefined>({ maxSize: 4, ttlMs: 1_000, now: manualClock().now });
    cache.set('zero', 0).set('nothing', undefined);
    expect(cache.get('zero')).toBe(0);
    expect(cache.has('nothing')).toBe(true);
  });

  it('lets one entry have its own TTL', () => {
    const clock = manualClock();
    const cache = new TtlCache<string, number>({ maxSize: 10, ttlMs: 1_000, now: clock.now });
    cache.set('short', 1, { ttlMs: 100 }).set('long', 2, { ttlMs: 5_000 }).set('default', 3);
    clock.advance(100);
    expect(cache.has('short')).toBe(false);
    clock.advance(900);
    expect(cache.has('default')).toBe(false);
    expect(cache.get('long')).toBe(2);
  });

  it('tells how long a key has left, and undefined once it is gone', () => {
    const clock = manualClock();
    const cache = new TtlCache<string, number>({ maxSize: 10, ttlMs: 1_000, now: clock.now });
    cache.set('a', 1);
    clock.advance(300);
    expect(cache.remainingTtl('a')).toBe(700);
    expect(cache.remainingTtl('missing')).toBeUndefined();
    clock.advance(700);
    expect(cache.remainingTtl('a')).toBeUndefined();
  });

  it('remainingTtl is never 0 or less, even on a clock that moves between two readings', () => {
    let t = 1_000;
    const ticking = () => t++; // every reading is 1 ms later than the last
    const cache = new TtlCache<string, number>({ maxSize: 10, ttlMs: 50, now: ticking });
    cache.set('a', 1);
    const answers = Array.from({ length: 60 }, () => cache.remainingTtl('a'));
    expect(answers.filter((left) => left !== undefined && left <= 0)).toEqual([]);
    expect(answers.at(-1)).toBeUndefined();
  });

  it('expire() removes every expired entry, returns them, and keeps the live ones', () => {
    const clock = manualClock();
    const cache = new TtlCache<string, number>({ maxSize: 10, ttlMs: 1_000, now: clock.now });
    cache.set('old1', 1).set('old2', 2);
    clock.advance(500);
    cache.set('new', 3);
    clock.advance(500);
    expect(cache.expire()).toEqual([['old1', 1], ['old2', 2]]);
    expect(cache.size).toBe(1);
    expect(cache.get('new')).toBe(3);
  });

  it('does not keep expired entries forever: a write drops them (the source\'s dicts only grow)', () => {
    const clock = manualClock();
    const cache = new TtlCache<number, number>({ maxSize: 1_000, ttlMs: 1_000, now: clock.now });
    for (let i = 0; i < 500; i++) cache.set(i, i);
    clock.advance(1_000);
    cache.set(-1, -1);
    expect(cache.size).toBe(1);
  });

  it('evicts expired entries before a live one: an hour-long entry outlives 999 expired 10 ms entries', () => {
    const clock = manualClock();
    const cache = new TtlCache<string, number>({ maxSize: 1_000, ttlMs: 10, now: clock.now });
    cache.set('hour', 0, { ttlMs: 3_600_000 });
    for (let i = 0; i < 999; i++) cache.set(`short${i}`, i);
    clock.advance(1_000);
    cache.set('new', 1);
    expect(cache.get('hour')).toBe(0);
    expect(cache.get('new')).toBe(1);
    expect(cache.size).toBe(2);
  });

  it('evicts expired entries before a live one with a single TTL too, after a get has reordered the LRU', () => {
    const clock = manualClock();
    const cache = new TtlCache<string, number>({ maxSize: 2, ttlMs: 1_000, now: clock.now });
    cache.set('a', 1);
    clock.advance(600);
    cache.set('b', 2);
    cache.get('a'); // a is now the most recently used, b the least
    clock.advance(500); // a has expired, b has 100 ms left
    cache.set('c', 3);
    expect(cache.get('b')).toBe(2);
    expect(cache.get('c')).toBe(3);
  });

  it('keeps finding expired entries after a first clean-up: the entries it kept still count', () => {
    const clock = manualClock();
    const cache = new TtlCache<string, number>({ maxSize: 4, ttlMs: 1_000, now: clock.now });
    cache.set('b', 0, { ttlMs: 500 }).set('z', 0, { ttlMs: 2_000 }).set('x', 0, { ttlMs: 10 }).set('y', 0, { ttlMs: 10 });
    clock.advance(20);
    cache.set('c', 0); // full: x and y have expired and go
    cache.get('b');
    cache.set('d', 0); // full again: z, c, b, d
    clock.advance(580); // b has expired; z, c and d are live
    cache.set('e', 0);
    expect(['z', 'c', 'b', 'd', 'e'].map((k) => cache.has(k))).toEqual([true, true, false, true, true]);
  });

  it('still evicts the least recently used when every entry is live', () => {
    const clock = manualClock();
    const cache = new TtlCache<string, number>({ maxSize: 2, ttlMs: 1_000, now: clock.now });
    cache.set('a', 1, { ttlMs: 100 });
    clock.advance(50);
    cache.set('b', 2).set('c', 3);
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([false, true, true]);
    clock.advance(100); // the next write finds nothing expired to drop
    cache.set('d', 4);
    expect([cache.has('b'), cache.has('c'), cache.has('d')]).toEqual([false, true, true]);
  });

  it('after clear(), a full cache of live entries still evicts the least recently used', () => {
    const clock = manualClock();
    const cache = new TtlCache<string, number>({ maxSize: 2, ttlMs: 1_000, now: clock.now });
    cache.set('old', 1, { ttlMs: 10 });
    cache.clear();
    clock.advance(100);
    cache.set('a', 1).set('b', 2).set('c', 3);
    expect([...['a', 'b', 'c'].map((k) => cache.has(k))]).toEqual([false, true, true]);
  });

  it('peek of an expired entry is undefined, like get', () => {
    const clock = manualClock();
    const cache = new TtlCache<string, number>({ maxSize: 10, ttlMs: 1_000, now: clock.now });
    cache.set('a', 1);
    clock.advance(1_000);
    expect(cache.peek('a')).toBeUndefined();
    expect(cache.peek('missing')).toBeUndefined();
  });

  it('get of an expired entry drops it, so it no longer takes room', () => {
    const clock = manualClock();
    const cache = new TtlCache<string, number>({ maxSize: 10, ttlMs: 1_000, now: clock.now });
    cache.set('a', 1).set('b', 2);
    clock.advance(1_000);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it('expire() finds nothing to remove while every entry is live', () => {
    const clock = manualClock();
    const cache = new TtlCache<string, number>({ maxSize: 10, ttlMs: 1_000, now: clock.now });
    cache.set('a', 1);
    clock.advance(999);
    expect(cache.expire()).toEqual([]);
    expect(cache.size).toBe(1);
  });

  it('refuses a clock that reads NaN, which would keep every entry forever', () => {
    const cache = new TtlCache<string, number>({ maxSize: 10, ttlMs: 1_000, now: () => Number.NaN });
    expect(() => cache.set('a', 1)).toThrow(new RangeError('TtlCache: the clock (now) returned NaN; it must return milliseconds'));
  });

  it('reads a monotonic clock by default: setting the system clock back an hour does not keep entries alive', () => {
    vi.useFakeTimers(); // fakes Date and performance; setSystemTime moves only Date
    const cache = new TtlCache<string, number>({ maxSize: 10, ttlMs: 1_000 });
    cache.set('a', 1);
    vi.setSystemTime(Date.now() - 3_600_000); // a DST change or an NTP correction
    vi.advanceTimersByTime(1_000);
    expect(cache.get('a')).toBeUndefined();
  });

  it('rejects a maxSize or a TTL that makes no sense with a RangeError at the call', () => {
    expect(() => new TtlCache({ maxSize: 0, ttlMs: 1_000 })).toThrow(/maxSize.*0/);
    expect(new TtlCache({ maxSize: 1, ttlMs: 1 }).maxSize).toBe(1); // the smallest that makes sense
    expect(() => new TtlCache({ maxSize: 2.5, ttlMs: 1_000 })).toThrow(/maxSize.*2\.5/); // its own option's name, not LruCache's
    expect(() => new TtlCache({ maxSize: 10, ttlMs: 0 })).toThrow(RangeError);
    expect(() => new TtlCache({ maxSize: 10, ttlMs: Number.NaN })).toThrow(RangeError);
    expect(() => new TtlCache({ maxSize: 10, ttlMs: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    const cache = new TtlCache<string, number>({ maxSize: 10, ttlMs: 1_000 });
    expect(() => cache.set('a', 1, { ttlMs: -5 })).toThrow(
      new RangeError('TtlCache: ttlMs must be a positive, finite number of milliseconds, got -5'),
    );
    expect(cache.has('a')).toBe(false);
  });
});
