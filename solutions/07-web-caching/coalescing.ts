/**
 * Concurrent misses of one URL, in one process: the first request runs the
 * handler, the others wait for what it stored instead of running it too.
 * And a write that succeeds while a miss is in flight wins over it: the miss
 * read the page before the write, so what it fetched must not be stored, nor
 * handed to the requests that waited.
 */

export interface Shared<T> {
  /** True for the request that ran the fill; false for one that waited for another's. */
  leader: boolean;
  /** What the fill gave; undefined when it gave nothing, failed, or a write voided it. */
  value?: T;
}

export class Fills<T> {
  readonly #inFlight = new Map<string, { done: Promise<T | undefined>; voided: boolean }>();

  /**
   * Runs `fill` for `key`, or, when one is already running, waits for it. `fill`
   * is told how to ask whether a write voided it: check before storing anything.
   */
  async run(key: string, fill: (voided: () => boolean) => Promise<T | undefined>): Promise<Shared<T>> {
    const running = this.#inFlight.get(key);
    if (running !== undefined) {
      const value = await running.done;
      return { leader: false, value: running.voided ? undefined : value };
    }
    const entry: { done: Promise<T | undefined>; voided: boolean } = { done: Promise.resolve(undefined), voided: false };
    this.#inFlight.set(key, entry);
    const filling = fill(() => entry.voided);
    entry.done = filling.catch(() => undefined); // a waiter asks the handler itself
    try {
      return { leader: true, value: await filling };
    } finally {
      this.#inFlight.delete(key);
    }
  }

  /** A write to these keys succeeded: the fills in flight for them may not store what they read. */
  void(keys: Iterable<string>): void {
    for (const key of keys) {
      const running = this.#inFlight.get(key);
      if (running !== undefined) running.voided = true;
    }
  }
}
