/**
 * A monotonic clock that is cheap to read: performance.now(), read at most once
 * per `resolutionMs`, as lru-cache does it (its `ttlResolution`).
 *
 * performance.now() never jumps when the system clock is set back an hour or
 * corrected by NTP, unlike Date.now() (or the source's datetime.now()). But a
 * reading costs about a third of a whole cache operation, and a cache reads
 * the clock on every get and set. So the first reading is kept, and a timer
 * forgets it `resolutionMs` later. The timer is unref()ed: a cache must never
 * keep alive a process that has nothing else to do.
 *
 * The price: a timer fires only between two turns of the event loop, so
 * within one synchronous stretch of code the clock stands still. An expiry
 * check is late by at most the resolution plus that stretch.
 */
export function coarseClock(resolutionMs = 1): () => number {
  if (!(resolutionMs > 0 && Number.isFinite(resolutionMs))) {
    throw new RangeError(`coarseClock: resolutionMs must be a positive, finite number of milliseconds, got ${String(resolutionMs)}`);
  }
  let reading: number | undefined;
  const forget = () => {
    reading = undefined;
  };
  return () => {
    if (reading === undefined) {
      reading = performance.now();
      setTimeout(forget, resolutionMs).unref();
    }
    return reading;
  };
}
