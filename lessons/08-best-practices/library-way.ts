/**
 * Exercise 6 of 9: the library way. opossum, the maintained Node circuit
 * breaker, doing the job of your circuit-breaker.ts. Its defaults were chosen
 * for slow HTTP services, not for a cache; say our three numbers in its terms.
 */
import CircuitBreaker from 'opossum';

export interface LibraryBreakerOptions {
  /** Failures within windowMs before it opens. */
  failureThreshold: number;
  windowMs: number;
  cooldownMs: number;
}

export function libraryBreaker<A extends unknown[], R>(
  action: (...args: A) => Promise<R>,
  options: LibraryBreakerOptions,
): CircuitBreaker<A, R> {
  // TODO: opossum's defaults, as most examples leave them. See its options in the README.
  void options;
  return new CircuitBreaker(action);
}
