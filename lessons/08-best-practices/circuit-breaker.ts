/**
 * Exercise 5 of 9: a circuit breaker in front of the cache (source 8.4).
 *
 * After `failureThreshold` failures within `windowMs` it opens: run() throws
 * CircuitOpenError at once, without calling the action, for `cooldownMs`.
 * Then it is half-open: one call goes through as a probe; success closes it,
 * failure opens it again for a full cooldown.
 *
 * The starter is no breaker at all, like the source: every call goes to Redis.
 * Work the state out from the clock (`now`) when asked; no timers.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** How many failures within windowMs open the breaker (a whole number ≥ 1). */
  failureThreshold: number;
  /** A finite number of ms > 0. */
  windowMs: number;
  /** How long it stays open before a probe may go through; a finite number of ms > 0. */
  cooldownMs: number;
  /** The clock, in ms; Date.now by default (so fake timers move it too). */
  now?: () => number;
  /** Told about every change of state: where "log once per outage" goes. */
  onStateChange?: (to: BreakerState, from: BreakerState) => void;
  /**
   * Which errors say "the service is failing"; all of them by default. An
   * error Redis answered with (WRONGTYPE for one odd key, OOM when full) is not
   * an outage: passed through, never counted.
   */
  isFailure?: (error: unknown) => boolean;
}

/** What run() throws instead of calling the action while the breaker is open. */
export class CircuitOpenError extends Error {
  override name = 'CircuitOpenError';
}

export class CircuitBreaker {
  readonly #options: CircuitBreakerOptions;

  constructor(options: CircuitBreakerOptions) {
    // TODO: refuse options that would never open or never close (RangeError).
    this.#options = options;
  }

  get state(): BreakerState {
    // TODO
    return 'closed';
  }

  /** Runs `action`, or throws CircuitOpenError without running it while open (or while a probe is out). */
  async run<T>(action: () => Promise<T>): Promise<T> {
    // TODO: count failures, open, fail fast, let one probe through.
    void this.#options;
    return action();
  }
}
