/**
 * A TTL with a little randomness taken off it.
 *
 * Entries written together expire together: warm a cache with 10 000 products
 * at start-up, give each 60 s, and 60 s later all 10 000 miss in the same
 * millisecond and go to the database at once. Taking a random part of up to
 * `spread` off each TTL turns that one spike into a trickle over a window.
 *
 * Off, never on: the TTL a caller asks for is their bound on how stale a value
 * may get, and jitter must not break it (lesson 05's jitteredTtl, for Redis,
 * keeps the same rule).
 */
export interface JitterOptions {
  /** The most that may be taken off, as a fraction of the TTL: 0.1 is up to 10 %. From 0 up to (not including) 1. */
  spread?: number;
  /** A number in [0, 1); Math.random by default. Pass a seeded one to make runs repeatable. */
  random?: () => number;
}

/** A whole number of milliseconds between `ttlMs * (1 - spread)` and `ttlMs`, never more than asked, never 0. */
export function jitter(ttlMs: number, { spread = 0.1, random = Math.random }: JitterOptions = {}): number {
  if (!(ttlMs >= 1 && Number.isFinite(ttlMs))) {
    throw new RangeError(`jitter: ttlMs must be a finite number of milliseconds, at least 1, got ${String(ttlMs)}`);
  }
  if (!(spread >= 0 && spread < 1)) {
    throw new RangeError(`jitter: spread is a fraction from 0 up to 1 (0.1 takes off up to 10 %), got ${String(spread)}`);
  }
  const r = random();
  // A broken random() (NaN, or 5 from a die) would hand out a NaN or a negative TTL.
  if (!(r >= 0 && r < 1)) throw new RangeError(`jitter: random() must return a number in [0, 1), got ${String(r)}`);
  // Rounded down, so never above ttlMs; at least 1, since a TTL of 0 would not cache at all.
  return Math.max(1, Math.floor(ttlMs * (1 - spread * r)));
}
