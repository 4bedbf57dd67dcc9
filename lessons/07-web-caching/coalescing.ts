/**
 * Exercise 9 of 12: concurrent misses of one URL run the handler once, and a
 * write that succeeds meanwhile wins over them.
 *
 * The source runs every miss: 20 simultaneous requests for a page that is not
 * cached run the handler 20 times. Run `npm run lesson 7 coalescing`.
 */

export interface Shared<T> {
  /** True for the request that ran the fill; false for one that waited for another's. */
  leader: boolean;
  /** What the fill gave; undefined when it gave nothing, failed, or a write voided it. */
  value?: T;
}

export class Fills<T> {
  /** Runs `fill` for `key`, or, when one is already running, waits for it. `fill` can ask whether a write voided it. */
  async run(key: string, fill: (voided: () => boolean) => Promise<T | undefined>): Promise<Shared<T>> {
    void key;
    return { leader: true, value: await fill(() => false) }; // every miss runs the handler
  }

  /** A write to these keys succeeded: the fills in flight for them may not store what they read. */
  void(keys: Iterable<string>): void {
    void keys;
  }
}
