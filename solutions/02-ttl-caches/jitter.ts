/**
 * A TTL with a little randomness in it.
 *
 * Entries written together expire together: warm a cache with 10 000 products
 * at start-up, give each 60 s, and 60 s later all 10 000 miss in the same
 * millisecond and go to the database at once. Spreading each TTL by ±10 %
 * turns that one spike into a trickle over 12 seconds.
 */
export interface JitterOptions {
  /** How far the TTL may move each way, as a fraction of it: 0.1 is ±10 %. From 0 up to (not including) 1. */
  spread?: number;
  /** A number in [0, 1); Math.random by default. Pass a seeded one to make runs repeatable. */
  random?: () => number;
}

/** `ttlMs` moved by up to ±spread of itself, rounded to a whole millisecond. */
export function jitter(ttlMs: number, { spread = 0.1, random = Math.random }: JitterOptions = {}): number {
  if (!(ttlMs > 0 && Number.isFinite(ttlMs))) {
    throw new RangeError(`jitter: ttlMs must be a positive, finite number of milliseconds, got ${String(ttlMs)}`);
  }
  if (!(spread >= 0 && spread < 1)) {
    throw new RangeError(`jitter: spread is a fraction from 0 up to 1 (0.1 is ±10 %), got ${String(spread)}`);
  }
  const r = random();
  // A broken random() (NaN, or 5 from a die) would hand out a NaN or a negative TTL.
  if (!(r >= 0 && r < 1)) throw new RangeError(`jitter: random() must return a number in [0, 1), got ${String(r)}`);
  const factor = 1 + spread * (2 * r - 1); // from 1 - spread up to 1 + spread
  return Math.max(1, Math.round(ttlMs * factor)); // never 0: a TTL of 0 would not cache at all
}
