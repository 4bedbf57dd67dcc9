/**
 * The library way: opossum, the maintained Node circuit breaker, doing the job
 * of circuit-breaker.ts. Its defaults suit a slow HTTP service, not a cache:
 * it opens on the very first failure (volumeThreshold 0, 50 % errors), waits
 * 30 s before a probe, and times every call out after 10 s with a timer of
 * its own. Said in our terms, the same breaker is four options.
 */
import CircuitBreaker from 'opossum';

export interface LibraryBreakerOptions {
  /** Failures within windowMs before it opens (opossum judges a rate: at least this many calls, over half of them failed). */
  failureThreshold: number;
  windowMs: number;
  cooldownMs: number;
}

export function libraryBreaker<A extends unknown[], R>(
  action: (...args: A) => Promise<R>,
  { failureThreshold, windowMs, cooldownMs }: LibraryBreakerOptions,
): CircuitBreaker<A, R> {
  return new CircuitBreaker(action, {
    volumeThreshold: failureThreshold, // no verdict on fewer calls than this in the window…
    errorThresholdPercentage: 50, // …then open when more than half of them failed
    rollingCountTimeout: windowMs,
    rollingCountBuckets: 10,
    resetTimeout: cooldownMs,
    timeout: false, // the Redis client has its own command timeout
  });
}
