/**
 * Whether an object can be garbage-collected: what a cache lets go of must not
 * stay reachable from it. The spec hands over the only reference, and a full
 * GC (exposed at run time, as scripts/bench/support/workload.ts does it) must
 * then clear the WeakRef.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Calls `keep(value)` with a fresh object and answers whether, after `drop()` and a full GC, that object is gone. */
export async function isCollectedAfter(keep: (value: object) => void, drop: () => void): Promise<boolean> {
  const ref = ((): WeakRef<object> => {
    const value = { payload: 'x'.repeat(16) };
    keep(value);
    return new WeakRef(value);
  })();
  drop();
  // A WeakRef keeps its target alive until the current job ends.
  await new Promise((resolve) => setImmediate(resolve));
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return ref.deref() === undefined;
}
