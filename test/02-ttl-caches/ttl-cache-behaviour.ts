/**
 * What every TTL cache of lesson 02 must do, whatever it is made of: TtlCache
 * (an LruCache of entries) and the bonus IndexedTtlCache (slots in typed
 * arrays) are held to the same bar, so the same specs run on both: the core
 * (the idea) and the deep tier (every method, every corner).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectRefusal } from '../support/refusal.js';
import { isCollectedAfter } from '../support/collected.js';
import { manualClock } from './manual-clock.js';

/** The API both share, as the specs use it. */
export interface TtlLike<K, V> {
  readonly maxSize: number;
  readonly ttlMs: number;
  readonly size: number;
  get(key: K): V | undefined;
  peek(key: K): V | undefined;
  has(key: K): boolean;
  set(key: K, value: V, options?: { ttlMs?: number }): this;
  delete(key: K): boolean;
  clear(): void;
  remainingTtl(key: K): number | undefined;
  expire(): Array<[K, V]>;
}

export type TtlConstructor = new <K, V>(options: { maxSize: number; ttlMs: number; now?: () => number }) => TtlLike<K, V>;

/** The keys among `keys` that the cache holds live. */
const live = (cache: TtlLike<string, unknown>, keys: string[]) => keys.filter((k) => cache.has(k));

/** The core: a value lives exactly ttlMs, LRU among the live, per-entry TTLs, a monotonic default clock, the numbers checked. */
export function describeTtlCore(name: string, Cache: TtlConstructor): void {
  describe(`${name} (like cachetools.TTLCache)`, () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('returns a value until its TTL has passed, then answers for it as for a missing key', () => {
      const clock = manualClock();
      const cache = new Cache<string, number>({ maxSize: 10, ttlMs: 1_000, now: clock.now });
      cache.set('a', 1);
      clock.advance(999);
      expect([cache.get('a'), cache.peek('a'), cache.has('a')]).toEqual([1, 1, true]);
      clock.advance(1); // gone at ttlMs, not after
      expect([cache.peek('a'), cache.has('a'), cache.get('a')]).toEqual([undefined, false, undefined]);
    });

    it('counts the TTL from the last write: setting a key again gives it a new TTL', () => {
      const clock = manualClock();
      const cache = new Cache<string, number>({ maxSize: 10, ttlMs: 1_000, now: clock.now });
      cache.set('a', 1);
      clock.advance(800);
      cache.set('a', 2);
      clock.advance(800);
      expect(cache.get('a')).toBe(2);
      clock.advance(200);
      expect(cache.has('a')).toBe(false);
    });

    it('does not extend the TTL on a read: a hot key still expires on time', () => {
      const clock = manualClock();
      const cache = new Cache<string, number>({ maxSize: 10, ttlMs: 1_000, now: clock.now });
      cache.set('a', 1);
      for (let i = 0; i < 9; i++) {
        clock.advance(100);
        cache.get('a');
      }
      clock.advance(100);
      expect(cache.get('a')).toBeUndefined();
    });

    it('evicts the least recently used entry when it is full (a get counts as a use, has does not)', () => {
      const cache = new Cache<string, number>({ maxSize: 2, ttlMs: 1_000, now: manualClock().now });
      cache.set('a', 1).set('b', 2);
      cache.get('a');
      cache.has('b');
      cache.set('c', 3);
      expect(live(cache, ['a', 'b', 'c'])).toEqual(['a', 'c']);
    });

    it('keeps falsy values: a cached 0 or undefined is there, not missing', () => {
      const cache = new Cache<string, number | undefined>({ maxSize: 4, ttlMs: 1_000, now: manualClock().now });
      cache.set('zero', 0).set('nothing', undefined);
      expect(cache.get('zero')).toBe(0);
      expect(cache.has('nothing')).toBe(true);
    });

    it('lets one entry have its own TTL', () => {
      const clock = manualClock();
      const cache = new Cache<string, number>({ maxSize: 10, ttlMs: 1_000, now: clock.now });
      cache.set('short', 1, { ttlMs: 100 }).set('long', 2, { ttlMs: 5_000 }).set('default', 3);
      clock.advance(100);
      expect(live(cache, ['short', 'long', 'default'])).toEqual(['long', 'default']);
      clock.advance(900);
      expect(live(cache, ['short', 'long', 'default'])).toEqual(['long']);
      expect(cache.get('long')).toBe(2);
    });

    it('reads a monotonic clock by default: setting the system clock back an hour does not keep entries alive', () => {
      vi.useFakeTimers(); // fakes Date and performance; setSystemTime moves only Date
      const cache = new Cache<string, number>({ maxSize: 10, ttlMs: 1_000 });
      cache.set('a', 1);
      vi.setSystemTime(Date.now() - 3_600_000); // a DST change or an NTP correction
      vi.advanceTimersByTime(1_000);
      expect(cache.has('a')).toBe(false);
    });

    it('refuses a maxSize or a TTL that makes no sense with a RangeError that names it', async () => {
      await expectRefusal(() => new Cache({ maxSize: 0, ttlMs: 1_000 }), RangeError, 'maxSize');
      await expectRefusal(() => new Cache({ maxSize: 2.5, ttlMs: 1_000 }), RangeError, 'maxSize');
      await expectRefusal(() => new Cache({ maxSize: 10, ttlMs: 0 }), RangeError, 'ttlMs');
      await expectRefusal(() => new Cache({ maxSize: 10, ttlMs: Number.NaN }), RangeError, 'ttlMs');
      await expectRefusal(() => new Cache({ maxSize: 10, ttlMs: Number.POSITIVE_INFINITY }), RangeError, 'ttlMs');
      const cache = new Cache<string, number>({ maxSize: 10, ttlMs: 1_000 });
      await expectRefusal(() => cache.set('a', 1, { ttlMs: -5 }), RangeError, 'ttlMs');
      expect(new Cache({ maxSize: 1, ttlMs: 1 }).maxSize).toBe(1); // the smallest that makes sense
    });
  });
}

/** The deep tier: every method on an expired entry, expired entries before live ones, remainingTtl, expire(), memory, the clock. */
export function describeTtlDeep(name: string, Cache: TtlConstructor): void {
  describe(`${name}, deeper: an expired entry is absent to every method`, () => {
    it('delete() of an expired key answers false, as for a missing one (cachetools raises KeyError for both)', () => {
      const clock = manualClock();
      const cache = new Cache<string, number>({ maxSize: 10, ttlMs: 1_000, now: clock.now });
      cache.set('a', 1).set('b', 2);
      clock.advance(1_000);
      expect(cache.delete('a')).toBe(false);
      expect(cache.delete('missing')).toBe(false);
      cache.set('c', 3);
      expect(cache.delete('c')).toBe(true);
      expect(cache.delete('c')).toBe(false);
    });

    it('size counts only live entries, as cachetools\' len() does', () => {
      const clock = manualClock();
      const cache = new Cache<string, number>({ maxSize: 10, ttlMs: 1_000, now: clock.now });
      cache.set('a', 1).set('b', 2, { ttlMs: 2_000 });
      expect(cache.size).toBe(2);
      clock.advance(1_000);
      expect(cache.size).toBe(1);
      clock.advance(1_000);
      expect(cache.size).toBe(0);
      cache.set('c', 3);
      expect(cache.size).toBe(1);
    });

    it('remainingTtl and peek answer undefined for an expired key, as for a missing one', () => {
      const clock = manualClock();
      const cache = new Cache<string, number>({ maxSize: 10, ttlMs: 1_000, now: clock.now });
      cache.set('a', 1);
      clock.advance(1_000);
      expect([cache.remainingTtl('a'), cache.peek('a')]).toEqual([cache.remainingTtl('missing'), cache.peek('missing')]);
      expect(cache.remainingTtl('a')).toBeUndefined();
    });

    it('a get of a missing key after a get of another changes nothing: each new key evicts the least recently used, in order', () => {
      const cache = new Cache<string, number>({ maxSize: 3, ttlMs: 1_000, now: manualClock().now });
      cache.set('a', 1).set('b', 2).set('c', 3);
      cache.get('a'); // b, c, a
      expect(cache.get('missing')).toBeUndefined();
      const evicted = ['d', 'e', 'f', 'g'].map((key) => {
        const before = ['a', 'b', 'c', 'd', 'e', 'f'].filter((k) => cache.has(k));
        cache.set(key, 0);
        return before.find((k) => !cache.has(k));
      });
      expect(evicted).toEqual(['b', 'c', 'a', 'd']);
      expect(live(cache, ['e', 'f', 'g'])).toEqual(['e', 'f', 'g']);
    });

    it('a get or a delete of a missing key changes nothing: the next writes evict in the same order, expire() finds every expired entry', () => {
      const clock = manualClock();
      const cache = new Cache<string, number>({ maxSize: 3, ttlMs: 1_000, now: clock.now });
      cache.set('a', 1).set('b', 2).set('c', 3);
      expect(cache.get('missing')).toBeUndefined();
      expect(cache.delete('missing')).toBe(false);
      cache.set('d', 4); // evicts a
      expect(live(cache, ['a', 'b', 'c', 'd'])).toEqual(['b', 'c', 'd']);
      cache.set('e', 5); // evicts b
      expect(live(cache, ['b', 'c', 'd', 'e'])).toEqual(['c', 'd', 'e']);
      clock.advance(1_000);
      expect(cache.expire().map(([key]) => key).sort()).toEqual(['c', 'd', 'e']);
    });

    it('get of an expired entry drops it, so it no longer takes room', () => {
      const clock = manualClock();
      const cache = new Cache<string, number>({ maxSize: 2, ttlMs: 1_000, now: clock.now });
      cache.set('a', 1).set('b', 2, { ttlMs: 5_000 });
      clock.advance(1_000);
      expect(cache.get('a')).toBeUndefined();
      cache.set('c', 3); // room for c without evicting b
      expect(live(cache, ['b', 'c'])).toEqual(['b', 'c']);
    });
  });

  describe(`${name}, deeper: remainingTtl() and expire()`, () => {
    it('tells how long a key has left, and undefined once it is gone', () => {
      const clock = manualClock();
      const cache = new Cache<string, number>({ maxSize: 10, ttlMs: 1_000, now: clock.now });
      cache.set('a', 1);
      clock.advance(300);
      expect(cache.remainingTtl('a')).toBe(700);
      expect(cache.remainingTtl('missing')).toBeUndefined();
      clock.advance(699);
      expect(cache.remainingTtl('a')).toBe(1);
      clock.advance(1);
      expect(cache.remainingTtl('a')).toBeUndefined();
    });

    it('remainingTtl is never 0 or less, even on a clock that moves between two readings', () => {
      let t = 1_000;
      const ticking = () => t++; // every reading is 1 ms later than the last
      const cache = new Cache<string, number>({ maxSize: 10, ttlMs: 50, now: ticking });
      cache.set('a', 1);
      const answers = Array.from({ length: 60 }, () => cache.remainingTtl('a'));
      expect(answers.filter((left) => left !== undefined && left <= 0)).toEqual([]);
      expect(answers.at(-1)).toBeUndefined();
    });

    it('expire() removes every expired entry, returns them, and keeps the live ones', () => {
      const clock = manualClock();
      const cache = new Cache<string, number>({ maxSize: 10, ttlMs: 1_000, now: clock.now });
      cache.set('old1', 1).set('old2', 2);
      clock.advance(500);
      cache.set('new', 3);
      clock.advance(500);
      expect(cache.expire()).toEqual([['old1', 1], ['old2', 2]]);
      expect(cache.expire()).toEqual([]);
      expect(cache.size).toBe(1);
      expect(cache.get('new')).toBe(3);
    });

    it('expire() finds nothing to remove while every entry is live', () => {
      const clock = manualClock();
      const cache = new Cache<string, number>({ maxSize: 10, ttlMs: 1_000, now: clock.now });
      cache.set('a', 1);
      clock.advance(999);
      expect(cache.expire()).toEqual([]);
      expect(cache.size).toBe(1);
    });

    it('expire() after a clear() finds nothing, and later entries expire on time', () => {
      const clock = manualClock();
      const cache = new Cache<string, number>({ maxSize: 10, ttlMs: 1_000, now: clock.now });
      cache.set('a', 1, { ttlMs: 10 });
      cache.clear();
      expect(cache.size).toBe(0);
      clock.advance(100);
      expect(cache.expire()).toEqual([]);
      cache.set('b', 2);
      clock.advance(1_000);
      expect(cache.expire()).toEqual([['b', 2]]);
    });
  });

  describe(`${name}, deeper: a live entry is never evicted while an expired one is held`, () => {
    it('an hour-long entry outlives 999 expired 10 ms entries when a write needs room', () => {
      const clock = manualClock();
      const cache = new Cache<string, number>({ maxSize: 1_000, ttlMs: 10, now: clock.now });
      cache.set('hour', 0, { ttlMs: 3_600_000 });
      for (let i = 0; i < 999; i++) cache.set(`short${i}`, i);
      clock.advance(1_000);
      cache.set('new', 1);
      expect(cache.get('hour')).toBe(0);
      expect(cache.get('new')).toBe(1);
      expect(cache.size).toBe(2);
    });

    it('with a single TTL too, after a get has reordered the LRU', () => {
      const clock = manualClock();
      const cache = new Cache<string, number>({ maxSize: 2, ttlMs: 1_000, now: clock.now });
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
      const cache = new Cache<string, number>({ maxSize: 4, ttlMs: 1_000, now: clock.now });
      cache.set('b', 0, { ttlMs: 500 }).set('z', 0, { ttlMs: 2_000 }).set('x', 0, { ttlMs: 10 }).set('y', 0, { ttlMs: 10 });
      clock.advance(20);
      cache.set('c', 0); // full: x and y have expired and go
      cache.get('b');
      cache.set('d', 0); // full again: z, c, b, d
      clock.advance(580); // b has expired; z, c and d are live
      cache.set('e', 0);
      expect(live(cache, ['z', 'c', 'b', 'd', 'e'])).toEqual(['z', 'c', 'd', 'e']);
    });

    it('an update of a key it holds needs no room: a full cache of live entries keeps them all', () => {
      const clock = manualClock();
      const cache = new Cache<string, number>({ maxSize: 2, ttlMs: 1_000, now: clock.now });
      cache.set('a', 1).set('b', 2);
      clock.advance(500);
      cache.set('a', 10);
      expect(live(cache, ['a', 'b'])).toEqual(['a', 'b']);
      cache.get('b'); // b the newest, a the least recently used
      cache.set('b', 20);
      expect([cache.get('a'), cache.get('b')]).toEqual([10, 20]);
      cache.set('c', 3); // now a goes, the least recently used
      expect(live(cache, ['a', 'b', 'c'])).toEqual(['b', 'c']);
    });

    it('still evicts the least recently used when every entry is live', () => {
      const clock = manualClock();
      const cache = new Cache<string, number>({ maxSize: 2, ttlMs: 1_000, now: clock.now });
      cache.set('a', 1, { ttlMs: 100 });
      clock.advance(50);
      cache.set('b', 2).set('c', 3);
      expect(live(cache, ['a', 'b', 'c'])).toEqual(['b', 'c']);
      clock.advance(100); // the next write finds nothing expired to drop
      cache.set('d', 4);
      expect(live(cache, ['b', 'c', 'd'])).toEqual(['c', 'd']);
    });

    it('after clear(), a full cache of live entries still evicts the least recently used', () => {
      const clock = manualClock();
      const cache = new Cache<string, number>({ maxSize: 2, ttlMs: 1_000, now: clock.now });
      cache.set('old', 1, { ttlMs: 10 });
      cache.clear();
      clock.advance(100);
      cache.set('a', 1).set('b', 2).set('c', 3);
      expect(live(cache, ['a', 'b', 'c'])).toEqual(['b', 'c']);
    });

    it('holds at most maxSize entries however many it is given, expired or not', () => {
      const clock = manualClock();
      const cache = new Cache<number, number>({ maxSize: 100, ttlMs: 50, now: clock.now });
      for (let i = 0; i < 10_000; i++) {
        cache.set(i, i);
        if (i % 7 === 0) clock.advance(1);
      }
      expect(cache.size).toBeLessThanOrEqual(100);
      expect(cache.get(9_999)).toBe(9_999);
    });
  });

  describe(`${name}, deeper: memory, the clock, and the numbers`, () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('reads its default clock, performance.now(), at most once per millisecond, not once per operation', () => {
      vi.useFakeTimers();
      const reading = vi.spyOn(performance, 'now');
      const cache = new Cache<number, number>({ maxSize: 100, ttlMs: 1_000 });
      for (let i = 0; i < 1_000; i++) cache.set(i % 200, i).get(i % 150);
      expect(reading).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(1);
      cache.set(1, 1);
      expect(reading).toHaveBeenCalledTimes(2);
    });

    it('lets the collector have an expired value once a write finds it at the cold end', async () => {
      const clock = manualClock();
      const cache = new Cache<string, object>({ maxSize: 10, ttlMs: 1_000, now: clock.now });
      const afterWrite = await isCollectedAfter(
        (value) => cache.set('c', value, { ttlMs: 10 }).set('d', {}),
        () => {
          clock.advance(10); // c is the least recently used, and has expired this very millisecond
          cache.set('e', {});
        },
      );
      expect(afterWrite).toBe(true);
    });

    it('lets the collector have an expired value once a write needs its room, or expire() runs', async () => {
      const clock = manualClock();
      const cache = new Cache<string, object>({ maxSize: 2, ttlMs: 1_000, now: clock.now });
      const afterWrite = await isCollectedAfter(
        (value) => cache.set('a', value).set('b', {}, { ttlMs: 5_000 }),
        () => {
          clock.advance(1_000);
          cache.set('c', {});
        },
      );
      const afterExpire = await isCollectedAfter(
        (value) => cache.set('d', value, { ttlMs: 10 }),
        () => {
          clock.advance(10);
          cache.expire();
        },
      );
      expect([afterWrite, afterExpire]).toEqual([true, true]);
    });

    it('refuses a clock that reads NaN, which would keep every entry forever', () => {
      const cache = new Cache<string, number>({ maxSize: 10, ttlMs: 1_000, now: () => Number.NaN });
      expect(() => cache.set('a', 1)).toThrow(new RangeError(`${name}: the clock (now) returned NaN; it must return milliseconds`));
    });

    it('a clock that throws leaves the cache as it was: the next call with a working clock finds every entry', () => {
      let broken = false;
      const clock = manualClock();
      const cache = new Cache<string, number>({
        maxSize: 2,
        ttlMs: 1_000,
        now: () => {
          if (broken) throw new Error('clock down');
          return clock.now();
        },
      });
      cache.set('a', 1).set('b', 2);
      broken = true;
      expect(() => cache.set('c', 3)).toThrow('clock down');
      expect(() => cache.get('a')).toThrow('clock down');
      expect(() => cache.has('b')).toThrow('clock down');
      broken = false;
      expect(live(cache, ['a', 'b', 'c'])).toEqual(['a', 'b']);
      expect(cache.size).toBe(2);
    });

    it('says which number was wrong and what it was', () => {
      expect(() => new Cache({ maxSize: 0, ttlMs: 1_000 })).toThrow(new RangeError(`${name}: maxSize must be a positive integer, got 0`));
      expect(() => new Cache({ maxSize: 10, ttlMs: 1_000 }).set('a', 1, { ttlMs: -5 })).toThrow(
        new RangeError(`${name}: ttlMs must be a positive, finite number of milliseconds, got -5`),
      );
      expect(() => new Cache({ maxSize: Number.NaN, ttlMs: 1_000 })).toThrow(/maxSize.*NaN/);
    });

    it('a refused set() stores nothing', () => {
      const cache = new Cache<string, number>({ maxSize: 10, ttlMs: 1_000, now: manualClock().now });
      expect(() => cache.set('a', 1, { ttlMs: 0 })).toThrow(RangeError);
      expect(cache.has('a')).toBe(false);
      expect(cache.size).toBe(0);
    });
  });
}
