/**
 * Exercise 4: a TTL with a little randomness taken off it, so that entries
 * written together do not all expire in the same millisecond.
 */
export interface JitterOptions {
  /** The most that may be taken off, as a fraction of the TTL: 0.1 is up to 10 %. From 0 up to (not including) 1. */
  spread?: number;
  /** A number in [0, 1); Math.random by default. Pass a seeded one to make runs repeatable. */
  random?: () => number;
}

/** A whole number of milliseconds between `ttlMs * (1 - spread)` and `ttlMs`, never more than asked, never 0. */
export function jitter(ttlMs: number, options: JitterOptions = {}): number {
  // TODO: this is every TTL in the source: the same number for every entry.
  // Take up to spread * ttlMs off it at random, never more than asked and
  // never 0, and throw a RangeError for a ttlMs, a spread or a random() that
  // makes no sense.
  return ttlMs;
}
