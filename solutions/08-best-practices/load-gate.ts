/**
 * Bounded loads (source 8.4): what stands between a cold or dead cache and
 * the database.
 *
 * The source's safe_cache_get answers None while Redis is down, and every
 * None becomes a query: a thousand readers of one key are a thousand queries,
 * and a thousand readers of a thousand keys are a thousand queries at once.
 * A LoadGate lets through one load per key (the readers of that key share its
 * promise, as lesson 01's memoize shares a call in flight) and at most
 * `maxConcurrent` loads over all keys; the others wait their turn, first come
 * first served. The database sees at most that many queries at a time,
 * whatever the cache does.
 */

export interface LoadGateOptions {
  /** Loads running at once, over all keys: a whole number ≥ 1. */
  maxConcurrent: number;
}

export class LoadGate {
  readonly maxConcurrent: number;
  readonly #inFlight = new Map<string, Promise<unknown>>();
  readonly #waiting: Array<() => void> = []; // the loads waiting for a slot, first come first served
  #running = 0;

  constructor({ maxConcurrent }: LoadGateOptions) {
    if (!Number.isSafeInteger(maxConcurrent) || maxConcurrent < 1) {
      throw new RangeError(`LoadGate: maxConcurrent is a whole number ≥ 1, got ${String(maxConcurrent)}`);
    }
    this.maxConcurrent = maxConcurrent;
  }

  /** The result of `load()`, shared with every other caller of `run(key)` while it is in flight. */
  run<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (typeof load !== 'function') throw new TypeError(`LoadGate.run(${key}): the load must be a function, got ${typeof load}`);
    let shared = this.#inFlight.get(key) as Promise<T> | undefined;
    if (shared === undefined) {
      shared = this.#limited(load).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, shared);
    }
    return shared;
  }

  async #limited<T>(load: () => Promise<T>): Promise<T> {
    if (this.#running < this.maxConcurrent) this.#running++;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve)); // the slot is handed over, not counted again
    try {
      return await load();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
