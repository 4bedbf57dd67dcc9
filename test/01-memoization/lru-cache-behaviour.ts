/**
 * What every LRU of lesson 01 must do, whatever it is made of: LruCache (a Map
 * of nodes) and the bonus IndexedLruCache (arrays of slots) are held to the
 * same bar, so the one spec runs on both.
 */
import { describe, expect, it, vi } from 'vitest';

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

/** The behaviour of an LRU cache; `name` is the class, as its errors name it. */
export function describeLruCache(name: string, Cache: LruConstructor): void {
  describe(name, () => {
    it('stores and returns values, and undefined for a key it does not have', () => {
      const cache = new Cache<string, number>({ max: 2 });
      cache.set('a', 1);
      expect(cache.get('a')).toBe(1);
      expect(cache.get('missing')).toBeUndefined();
    });

    it('evicts the least recently used entry when it is full', () => {
      const cache = new Cache<string, number>({ max: 2 });
      cache.set('a', 1).set('b', 2).set('c', 3);
      expect(cache.has('a')).toBe(false);
      expect(cache.has('b')).toBe(true);
      expect(cache.has('c')).toBe(true);
      expect(cache.size).toBe(2);
    });

    it('counts a get as a use: the entry just read survives the next eviction', () => {
      const cache = new Cache<string, number>({ max: 2 });
      cache.set('a', 1).set('b', 2);
      cache.get('a');
      cache.set('c', 3);
      expect(cache.has('a')).toBe(true);
      expect(cache.has('b')).toBe(false);
    });

    it('counts setting an existing key as a use, and does not grow', () => {
      const cache = new Cache<string, number>({ max: 2 });
      cache.set('a', 1).set('b', 2).set('a', 10).set('c', 3);
      expect(cache.get('a')).toBe(10);
      expect(cache.has('b')).toBe(false);
      expect(cache.size).toBe(2);
    });

    it('peek and has read without counting as a use', () => {
      const cache = new Cache<string, number>({ max: 2 });
      cache.set('a', 1).set('b', 2);
      expect(cache.peek('a')).toBe(1);
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

    it('delete removes one entry and clear removes them all', () => {
      const cache = new Cache<string, number>({ max: 3 });
      cache.set('a', 1).set('b', 2).set('c', 3);
      expect(cache.delete('a')).toBe(true);
      expect(cache.delete('a')).toBe(false);
      expect(cache.size).toBe(2);
      cache.clear();
      expect(cache.size).toBe(0);
      expect(cache.get('b')).toBeUndefined();
    });

    it('lists keys from the least to the most recently used', () => {
      const cache = new Cache<string, number>({ max: 3 });
      cache.set('a', 1).set('b', 2).set('c', 3);
      cache.get('a');
      expect([...cache.keys()]).toEqual(['b', 'c', 'a']);
    });

    it('tells onEvict which entry it evicted', () => {
      const onEvict = vi.fn();
      const cache = new Cache<string, number>({ max: 1, onEvict });
      cache.set('a', 1).set('b', 2);
      expect(onEvict).toHaveBeenCalledExactlyOnceWith('a', 1);
    });

    it('moves an entry from the middle without losing its neighbours: read b of a, b, c, then set d evicts a', () => {
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

    it('peek of a key it does not have is undefined, not an error', () => {
      const cache = new Cache<string, number>({ max: 2 });
      expect(cache.peek('missing')).toBeUndefined();
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
      const cache = new Cache<string, number>({
        max: 2,
        onEvict: () => {
          throw new Error('onEvict failed');
        },
      });
      cache.set('a', 1).set('b', 2);
      expect(() => cache.set('c', 3)).toThrow('onEvict failed');
      expect(cache.get('c')).toBe(3);
      expect(cache.has('a')).toBe(false);
      expect([...cache.keys()]).toEqual(['b', 'c']);
    });

    it('stays at max entries however many it is given', () => {
      const cache = new Cache<number, number>({ max: 100 });
      for (let i = 0; i < 10_000; i++) cache.set(i, i);
      expect(cache.size).toBe(100);
      expect(cache.has(9_999)).toBe(true);
      expect(cache.has(9_899)).toBe(false);
    });

    it('rejects a max that is not a positive integer with a RangeError', () => {
      expect(() => new Cache({ max: 0 })).toThrow(new RangeError(`${name}: max must be a positive integer, got 0`));
      expect(() => new Cache({ max: 1.5 })).toThrow(RangeError);
      expect(() => new Cache({ max: Number.NaN })).toThrow(RangeError);
    });
  });
}
