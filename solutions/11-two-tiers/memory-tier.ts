/**
 * L1: the tier in this process's memory. A hit costs a map lookup, no network.
 *
 * - Bounded and expiring: an LRU of l1Max entries that live l1TtlMs on the
 *   injected clock. The TTL is the worst case of everything else: if every
 *   invalidation is lost, an old value is served for at most l1TtlMs.
 * - A value is kept in a box, so that undefined, null, 0 and '' are hits.
 * - The race rule: a Redis answer and the message that says "changed" travel
 *   on different connections, in either order. An answer may fill L1 only if
 *   no invalidation happened since the question was asked: every drop and
 *   clear moves a counter, and fill() compares it with the one its caller
 *   noted before asking.
 * - While L1 is not trusted (nothing can tell it what changed), it is neither
 *   read nor filled, and it starts empty once trusted again.
 */
import { LRUCache } from 'lru-cache';

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

/** Node's timers stop at 2^31 - 1 ms, and lru-cache keeps its TTL on them. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class MemoryTier<T> {
  readonly #entries: LRUCache<string, Box<T>>;
  #invalidations = 0;
  #trusted = true;

  constructor({ l1Max, l1TtlMs, now = () => performance.now() }: MemoryTierOptions) {
    if (!Number.isSafeInteger(l1Max) || l1Max < 1) {
      throw new RangeError(`TwoTierCache: l1Max must be a whole number ≥ 1, got ${l1Max}`);
    }
    if (!Number.isSafeInteger(l1TtlMs) || l1TtlMs < 1 || l1TtlMs > MAX_TIMER_MS) {
      throw new RangeError(`TwoTierCache: l1TtlMs must be a whole number of ms from 1 to ${MAX_TIMER_MS}, got ${l1TtlMs}`);
    }
    // ttlResolution 0: read the clock on every get, so an injected clock is obeyed to the millisecond.
    this.#entries = new LRUCache<string, Box<T>>({ max: l1Max, ttl: l1TtlMs, ttlResolution: 0, perf: { now } });
  }

  /** The box for `key`, or undefined: missing, expired, or L1 not trusted. */
  get(key: string): Box<T> | undefined {
    return this.#trusted ? this.#entries.get(key) : undefined;
  }

  /** How many invalidations (drops and clears) so far: note it before asking Redis, and hand it to fill(). */
  get invalidations(): number {
    return this.#invalidations;
  }

  /** Keeps `box` for `key`, unless L1 is not trusted or an invalidation happened since `noted` was read. */
  fill(key: string, box: Box<T>, noted: number): void {
    if (this.#trusted && noted === this.#invalidations) this.#entries.set(key, box);
  }

  /** Someone changed `key`: forget it here. */
  drop(key: string): void {
    this.#invalidations++;
    this.#entries.delete(key);
  }

  /** Forget everything here. */
  clear(): void {
    this.#invalidations++;
    this.#entries.clear();
  }

  /** While false, L1 is neither read nor filled. Every change starts it empty. */
  get trusted(): boolean {
    return this.#trusted;
  }

  set trusted(trusted: boolean) {
    this.#trusted = trusted;
    this.clear();
  }

  /** Whether L1 holds `key` right now (expired entries do not count). */
  has(key: string): boolean {
    return this.#entries.has(key);
  }
}
