/**
 * What every LRU of lesson 01 must do, whatever it is made of: LruCache (a Map
 * of nodes) and the bonus IndexedLruCache (arrays of slots) are held to the
 * same bar, so the same specs run on both: the core (the idea) and the deep
 * tier (every method, every corner, a listener that writes or throws).
 */
import { describe, expect, it, vi } from 'vitest';
import { expectRefusal } from '../support/refusal.js';

/** The API both share, as the specs use it. */
export interface LruLike<K, V> {
  readonly max: number;
  readonly size: number;
  get(key: K): V | undefined;
  peek(key: K): V | undefined;
  has(key: K): boolean;
  set(key: K, value: V): this;
  delete(key: K): boolean;
  clear(): void;
  keys(): IterableIterator<K>;
}

export type LruConstructor = new <K, V>(options: { max: number; onEvict?: (key: K, value: V) => void }) => LruLike<K, V>;

/** The keys among `keys` that the cache holds. */
const held = (cache: LruLike<string, unknown>, keys: string[]) => keys.filter((k) => cache.has(k));

/** The core: get, set, has, size, eviction of the least recently used, onEvict, and max checked. */
export function describeLruCore(name: string, Cache: LruConstructor): void {
  describe(name, () => {
    it('stores and returns values, and undefined for a key it does not have', () => {
      const cache = new Cache<string, number>({ max: 2 });
      cache.set('a', 1);
      expect(cache.get('a')).toBe(1);
      expect(cache.get('missing')).toBeUndefined();
      expect(cache.has('missing')).toBe(false);
    });

    it('evicts the least recently used entry when it is full', () => {
      const cache = new Cache<string, number>({ max: 2 });
      cache.set('a', 1).set('b', 2).set('c', 3);
      expect(held(cache, ['a', 'b', 'c'])).toEqual(['b', 'c']);
      expect(cache.size).toBe(2);
      expect(cache.get('c')).toBe(3);
    });

    it('counts a get as a use: the entry just read survives the next eviction', () => {
      const cache = new Cache<string, number>({ max: 2 });
      cache.set('a', 1).set('b', 2);
      cache.get('a');
      cache.set('c', 3);
      expect(held(cache, ['a', 'b', 'c'])).toEqual(['a', 'c']);
    });

    it('counts setting an existing key as a use, and does not grow', () => {
      const cache = new Cache<string, number>({ max: 2 });
      cache.set('a', 1).set('b', 2).set('a', 10).set('c', 3);
      expect(cache.get('a')).toBe(10);
      expect(cache.has('b')).toBe(false);
      expect(cache.size).toBe(2);
    });

    it('has() reads without counting as a use', () => {
      const cache = new Cache<string, number>({ max: 2 });
      cache.set('a', 1).set('b', 2);
      expect(cache.has('a')).toBe(true);
      cache.set('c', 3);
      expect(cache.has('a')).toBe(false);
    });

    it('keeps falsy values: a cached 0 is there, not missing', () => {
      const cache = new Cache<string, number>({ max: 2 });
      cache.set('zero', 0);
      expect(cache.has('zero')).toBe(true);
      expect(cache.get('zero')).toBe(0);
    });

    it('moves an entry from the middle without losing its neighbours: read b of a, b, c, then each new key evicts the next oldest', () => {
      const cache = new Cache<string, number>({ max: 3 });
      cache.set('a', 1).set('b', 2).set('c', 3);
      cache.get('b');
      cache.set('d', 4); // evicts a
      expect(held(cache, ['a', 'b', 'c', 'd'])).toEqual(['b', 'c', 'd']);
      cache.set('e', 5); // evicts c
      expect(held(cache, ['b', 'c', 'd', 'e'])).toEqual(['b', 'd', 'e']);
      cache.set('f', 6); // evicts b
      expect(held(cache, ['b', 'd', 'e', 'f'])).toEqual(['d', 'e', 'f']);
      expect([cache.get('d'), cache.get('e'), cache.get('f')]).toEqual([4, 5, 6]);
    });

    it('tells onEvict which entry it evicted, once per eviction', () => {
      const onEvict = vi.fn();
      const cache = new Cache<string, number>({ max: 1, onEvict });
      cache.set('a', 1).set('b', 2).set('b', 3);
      expect(onEvict).toHaveBeenCalledExactlyOnceWith('a', 1);
    });

    it('stays at max entries however many it is given', () => {
      const cache = new Cache<number, number>({ max: 100 });
      for (let i = 0; i < 10_000; i++) cache.set(i, i);
      expect(cache.size).toBe(100);
      expect(cache.get(9_999)).toBe(9_999);
      expect(cache.get(9_900)).toBe(9_900);
      expect(cache.has(9_899)).toBe(false);
    });

    it('refuses a max that is not a positive integer with a RangeError that names max', async () => {
      await expectRefusal(() => new Cache({ max: 0 }), RangeError, 'max');
      await expectRefusal(() => new Cache({ max: 1.5 }), RangeError, 'max');
      await expectRefusal(() => new Cache({ max: Number.NaN }), RangeError, 'max');
    });
  });
}

/** The deep tier: peek, delete, clear and keys(), the ends of the list, and onEvict that writes or throws. */
export function describeLruDeep(name: string, Cache: LruConstructor): void {
  describe(`${name}, deeper`, () => {
    it('peek reads without counting as a use, and answers undefined for a key it does not have', () => {
      const cache = new Cache<string, number>({ max: 2 });
      cache.set('a', 1).set('b', 2);
      expect(cache.peek('a')).toBe(1);
      expect(cache.peek('missing')).toBeUndefined();
      cache.set('c', 3);
      expect(cache.has('a')).toBe(false);
    });

    it('delete removes one entry and clear removes them all', () => {
      const cache = new Cache<string, number>({ max: 3 });
      cache.set('a', 1).set('b', 2).set('c', 3);
      expect(cache.delete('a')).toBe(true);
      expect(cache.delete('a')).toBe(false);
      expect(cache.size).toBe(2);
      cache.clear();
      expect(cache.size).toBe(0);
      expect(cache.get('b')).toBeUndefined();
      expect([...cache.keys()]).toEqual([]);
    });

    it('lists keys from the least to the most recently used', () => {
      const cache = new Cache<string, number>({ max: 3 });
      cache.set('a', 1).set('b', 2).set('c', 3);
      cache.get('a');
      expect([...cache.keys()]).toEqual(['b', 'c', 'a']);
      cache.get('a'); // already the newest
      expect([...cache.keys()]).toEqual(['b', 'c', 'a']);
    });

    it('moves an entry from the middle without losing its neighbours, as keys() shows', () => {
      const cache = new Cache<string, number>({ max: 3 });
      cache.set('a', 1).set('b', 2).set('c', 3);
      cache.get('b');
      cache.set('d', 4);
      expect([...cache.keys()]).toEqual(['c', 'b', 'd']);
      cache.set('e', 5).set('f', 6);
      expect([...cache.keys()]).toEqual(['d', 'e', 'f']);
    });

    it('deletes an entry from the middle, the oldest end and the newest end, keeping the order of the rest', () => {
      const cache = new Cache<string, number>({ max: 5 });
      cache.set('a', 1).set('b', 2).set('c', 3).set('d', 4).set('e', 5);
      cache.delete('c');
      expect([...cache.keys()]).toEqual(['a', 'b', 'd', 'e']);
      cache.delete('a');
      cache.delete('e');
      expect([...cache.keys()]).toEqual(['b', 'd']);
      cache.set('x', 0).set('y', 0).set('z', 0).set('w', 0);
      expect([...cache.keys()]).toEqual(['d', 'x', 'y', 'z', 'w']);
    });

    it('keeps a lone entry in order: one entry left after a delete is read, listed and evicted as the only one', () => {
      const cache = new Cache<string, number>({ max: 2 });
      cache.set('a', 1).set('b', 2);
      cache.delete('a');
      expect(cache.get('b')).toBe(2);
      expect([...cache.keys()]).toEqual(['b']);
      cache.set('c', 3).set('d', 4);
      expect([...cache.keys()]).toEqual(['c', 'd']);
    });

    it('updates an existing key in place: keys() lists it once, as the newest', () => {
      const cache = new Cache<string, number>({ max: 3 });
      cache.set('a', 1).set('b', 2).set('a', 3);
      expect([...cache.keys()]).toEqual(['b', 'a']);
      cache.set('a', 4);
      expect([...cache.keys()]).toEqual(['b', 'a']);
      expect(cache.size).toBe(2);
    });

    it('a get of a missing key changes nothing: the order and the next write stay as they were', () => {
      const cache = new Cache<string, number>({ max: 4 });
      cache.set('a', 1).set('b', 2).set('c', 3);
      expect(cache.get('missing')).toBeUndefined();
      cache.set('d', 4);
      expect([...cache.keys()]).toEqual(['a', 'b', 'c', 'd']);
    });

    it('works again after clear(): fills, evicts and lists as new', () => {
      const cache = new Cache<string, number>({ max: 2 });
      cache.set('a', 1).set('b', 2);
      cache.clear();
      cache.set('c', 3).set('d', 4).set('e', 5);
      expect([...cache.keys()]).toEqual(['d', 'e']);
      expect([cache.peek('c'), cache.peek('d'), cache.peek('e')]).toEqual([undefined, 4, 5]);
    });

    it('stays within max when onEvict writes to the cache', () => {
      const cache: LruLike<string, number> = new Cache<string, number>({
        max: 2,
        onEvict: (key, value) => {
          if (key === 'a') cache.set('a2', value);
        },
      });
      cache.set('a', 1).set('b', 2).set('c', 3);
      expect(cache.size).toBe(2);
      expect([...cache.keys()]).toEqual(['c', 'a2']);
    });

    it('keeps the new entry when onEvict throws: set() passes the error on with the cache in order', () => {
      const failure = new Error('onEvict failed');
      const cache = new Cache<string, number>({
        max: 2,
        onEvict: () => {
          throw failure;
        },
      });
      cache.set('a', 1).set('b', 2);
      expect(() => cache.set('c', 3)).toThrow(failure);
      expect(cache.get('c')).toBe(3);
      expect(cache.has('a')).toBe(false);
      expect([...cache.keys()]).toEqual(['b', 'c']);
    });

    it('a listener that always throws never breaks the bound, the index or the order, however many writes it fails', () => {
      const cache = new Cache<number, number>({
        max: 3,
        onEvict: () => {
          throw new Error('listener down');
        },
      });
      for (let i = 0; i < 20; i++) {
        if (i < 3) cache.set(i, i);
        else expect(() => cache.set(i, i)).toThrow('listener down');
        cache.get(i - 1); // a read between the failures
      }
      expect(cache.size).toBe(3);
      expect([...cache.keys()]).toEqual([17, 19, 18]);
      expect([cache.peek(17), cache.peek(18), cache.peek(19), cache.peek(16)]).toEqual([17, 18, 19, undefined]);
    });

    it('says what was wrong with max: the class, the option and the value', () => {
      expect(() => new Cache({ max: 0 })).toThrow(new RangeError(`${name}: max must be a positive integer, got 0`));
      expect(() => new Cache({ max: -1 })).toThrow(RangeError);
    });
  });
}
