/**
 * Exercise 7 of 9: bounded loads, what stands between a cold or dead cache
 * and the database (source 8.4).
 *
 * The source answers None while Redis is down, and every None becomes a
 * query. Below, run() is exactly that: every caller runs its own load, all at
 * once. Make the callers of one key share one load (lesson 01's memoize did
 * it for a call in flight), and let at most maxConcurrent loads run over all
 * keys; the others wait their turn, first come first served.
 */

export interface LoadGateOptions {
  /** Loads running at once, over all keys: a whole number ≥ 1. */
  maxConcurrent: number;
}

export class LoadGate {
  readonly maxConcurrent: number;

  constructor({ maxConcurrent }: LoadGateOptions) {
    // TODO: check maxConcurrent (a RangeError that names it).
    this.maxConcurrent = maxConcurrent;
  }

  /** The result of `load()`, shared with every other caller of `run(key)` while it is in flight. */
  run<T>(key: string, load: () => Promise<T>): Promise<T> {
    // TODO: one load per key in flight, at most maxConcurrent at once.
    void key;
    return load();
  }
}
