/**
 * Exercise 3 of 4: a TTL with a little randomness in it, so that entries
 * written together do not all expire in the same millisecond.
 */
export interface JitterOptions {
  /** How far the TTL may move each way, as a fraction of it: 0.1 is ±10 %. From 0 up to (not including) 1. */
  spread?: number;
  /** A number in [0, 1); Math.random by default. Pass a seeded one to make runs repeatable. */
  random?: () => number;
}

/** `ttlMs` moved by up to ±spread of itself, rounded to a whole millisecond. */
export function jitter(ttlMs: number, options: JitterOptions = {}): number {
  // TODO: this is every TTL in the source: the same number for every entry.
  // Move it by spread * (2 * random() - 1) of itself, round it, never return 0,
  // and throw a RangeError for a ttlMs, a spread or a random() that makes no sense.
  return ttlMs;
}
