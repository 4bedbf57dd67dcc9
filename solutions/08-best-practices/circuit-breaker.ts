/**
 * A circuit breaker in front of the cache (source 8.4).
 *
 * The source's safe_cache_get pays for a dead Redis on every request: a
 * refused connection or a timeout each time, then a database query. A breaker
 * counts failures; after `failureThreshold` of them within `windowMs` it opens
 * and answers "no" at once, without calling Redis, for `cooldownMs`. Then it is
 * half-open: one call goes through as a probe. Success closes it; failure opens
 * it for another cooldown.
 *
 * The state is worked out from the clock when asked, so there is no timer to
 * leak or to keep a process alive, and a spec moves time with a fake clock.
 */

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** How many failures within windowMs open the breaker. */
  failureThreshold: number;
  windowMs: number;
  /** How long it stays open before a probe may go through. */
  cooldownMs: number;
  /** The clock, in ms; Date.now by default (so fake timers move it too). */
  now?: () => number;
  /** Told about every change of state, once the change is made: where "log once per outage" goes. */
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
  readonly #options: Required<CircuitBreakerOptions>;
  #failures: number[] = []; // when each recent failure happened, while closed
  #openedAt: number | undefined; // undefined while closed
  #probeSince: number | undefined; // when the probe that is out started: it names that probe

  constructor(options: CircuitBreakerOptions) {
    const { failureThreshold, windowMs, cooldownMs, now = Date.now, onStateChange = () => {}, isFailure = () => true } = options;
    if (!Number.isSafeInteger(failureThreshold) || failureThreshold < 1) throw new RangeError(`CircuitBreaker: failureThreshold is a whole number ≥ 1, got ${String(failureThreshold)}`);
    for (const [name, ms] of [['windowMs', windowMs], ['cooldownMs', cooldownMs]] as const) {
      if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`CircuitBreaker: ${name} is a finite number of ms > 0, got ${String(ms)}`);
    }
    this.#options = { failureThreshold, windowMs, cooldownMs, now, onStateChange, isFailure };
  }

  get state(): BreakerState {
    if (this.#openedAt === undefined) return 'closed';
    return this.#options.now() - this.#openedAt < this.#options.cooldownMs ? 'open' : 'half-open';
  }

  /** Runs `action`, or throws CircuitOpenError without running it while open (or while a probe is out). */
  async run<T>(action: () => Promise<T>): Promise<T> {
    if (typeof action !== 'function') throw new TypeError(`CircuitBreaker.run: expected a function to call, got ${typeof action}`);
    const { now, cooldownMs, failureThreshold, onStateChange } = this.#options;
    const state = this.state;
    // A probe that never answers must not hold the breaker open forever: after a cooldown, another may go.
    const probeOut = this.#probeSince !== undefined && now() - this.#probeSince < cooldownMs;
    if (state === 'open' || (state === 'half-open' && probeOut)) {
      throw new CircuitOpenError(`the circuit is open: skipping the call for up to ${cooldownMs} ms after ${failureThreshold} failures`);
    }
    const probe = state === 'half-open' ? (this.#probeSince = now()) : undefined;
    try {
      if (probe !== undefined) onStateChange('half-open', 'open'); // inside the try: a listener that throws fails the probe
      const result = await action();
      this.#answered(probe, true);
      return result;
    } catch (error) {
      this.#answered(probe, !this.#options.isFailure(error));
      throw error;
    }
  }

  /** What the end of a call means: a probe decides (unless a later one took its place); a failure while closed counts. */
  #answered(probe: number | undefined, ok: boolean): void {
    const { now, windowMs, failureThreshold, onStateChange } = this.#options;
    if (probe !== undefined && probe === this.#probeSince) {
      this.#probeSince = undefined;
      this.#openedAt = ok ? undefined : now(); // the failures were cleared when it opened
      onStateChange(ok ? 'closed' : 'open', 'half-open');
    } else if (probe === undefined && !ok && this.#openedAt === undefined) {
      // (A call that started before the breaker opened and fails after it does not reopen it.)
      this.#failures = [...this.#failures.filter((at) => now() - at < windowMs), now()];
      if (this.#failures.length < failureThreshold) return;
      this.#openedAt = now();
      this.#failures = [];
      onStateChange('open', 'closed');
    }
  }
}
