/**
 * Exercise 1 of 6: L1, the tier in this process's memory.
 *
 * Below is what most tutorials write: a Map. It never forgets (no TTL, no
 * bound), and it keeps whatever it is given, even an answer that was already
 * old when it arrived. Make it the MemoryTier the README describes.
 * Run `npm run lesson 11 memory-tier`.
 */
import { todo } from '../../provided/todo.js';

/** L1 keeps each value in a box: `{ value: 0 }` is a hit, `undefined` a miss. */
export type Box<T> = { value: T };

export interface MemoryTierOptions {
  /** How many entries L1 holds at most (least recently used out first). */
  l1Max: number;
  /** How long an entry lives, ms: the worst-case staleness when an invalidation is lost. */
  l1TtlMs: number;
  /** The clock L1's TTL reads (ms); default performance.now. */
  now?: () => number;
}

export class MemoryTier<T> {
  // TODO: an LRUCache from lru-cache (bounded, with a TTL on the injected clock), not a Map.
  readonly #entries = new Map<string, Box<T>>();

  constructor(options: MemoryTierOptions) {
    void options; // TODO: refuse an l1Max or l1TtlMs that cannot work, with a RangeError naming it
  }

  /** The box for `key`, or undefined: missing, expired, or L1 not trusted. */
  get(key: string): Box<T> | undefined {
    return this.#entries.get(key);
  }

  /** How many invalidations (drops and clears) so far: note it before asking Redis, and hand it to fill(). */
  get invalidations(): number {
    return todo('11-two-tiers', 'MemoryTier.invalidations: a counter every drop and clear moves');
  }

  /** Keeps `box` for `key`, unless L1 is not trusted or an invalidation happened since `noted` was read. */
  fill(key: string, box: Box<T>, noted: number): void {
    void noted;
    this.#entries.set(key, box);
  }

  /** Someone changed `key`: forget it here. */
  drop(key: string): void {
    this.#entries.delete(key);
  }

  /** Forget everything here. */
  clear(): void {
    this.#entries.clear();
  }

  /** While false, L1 is neither read nor filled. Every change starts it empty. */
  get trusted(): boolean {
    return todo('11-two-tiers', 'MemoryTier.trusted');
  }

  set trusted(trusted: boolean) {
    void trusted;
    todo('11-two-tiers', 'MemoryTier.trusted');
  }

  /** Whether L1 holds `key` right now (expired entries do not count). */
  has(key: string): boolean {
    return this.#entries.has(key);
  }
}
