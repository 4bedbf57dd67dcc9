/**
 * Where a promise stands, without waiting for it: specs whose starter may
 * never settle a promise ask its state instead of awaiting it, so a starter
 * fails at once rather than at vitest's timeout.
 */
export type State<T> = { state: 'pending' } | { state: 'resolved'; value: T } | { state: 'rejected'; error: unknown };

/** A live view of `promise`'s state (read it after the microtasks have run, e.g. after advancing fake timers). */
export function track<T>(promise: Promise<T>): { readonly now: State<T> } {
  let now: State<T> = { state: 'pending' };
  promise.then(
    (value) => (now = { state: 'resolved', value }),
    (error: unknown) => (now = { state: 'rejected', error }),
  );
  return {
    get now() {
      return now;
    },
  };
}

/** Lets every callback already queued run: microtasks, and the I/O and timers that are due (one macrotask turn). */
export async function flush(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}
