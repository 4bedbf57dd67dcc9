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
  readonly #threshold: number;
  readonly #windowMs: number;
  readonly #cooldownMs: number;
  readonly #now: () => number;
  readonly #onStateChange?: (to: BreakerState, from: BreakerState) => void;
  readonly #isFailure: (error: unknown) => boolean;
  // Stryker disable next-line ArrayDeclaration: a non-number in the list is NaN ms old and filtered out at the first failure
  #failures: number[] = []; // when each recent failure happened
  #openedAt: number | undefined;
  #probe: { id: number; since: number } | undefined; // the probe that is out
  #probes = 0;

  constructor({ failureThreshold, windowMs, cooldownMs, now = Date.now, onStateChange, isFailure = () => true }: CircuitBreakerOptions) {
    if (!Number.isSafeInteger(failureThreshold) || failureThreshold < 1) {
      throw new RangeError(`CircuitBreaker: failureThreshold is a whole number ≥ 1, got ${String(failureThreshold)}`);
    }
    for (const [name, ms] of [['windowMs', windowMs], ['cooldownMs', cooldownMs]] as const) {
      if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`CircuitBreaker: ${name} is a finite number of ms > 0, got ${String(ms)}`);
    }
    this.#threshold = failureThreshold;
    this.#windowMs = windowMs;
    this.#cooldownMs = cooldownMs;
    this.#now = now;
    this.#onStateChange = onStateChange;
    this.#isFailure = isFailure;
  }

  get state(): BreakerState {
    if (this.#openedAt === undefined) return 'closed';
    return this.#now() - this.#openedAt >= this.#cooldownMs ? 'half-open' : 'open';
  }

  /** Runs `action`, or throws CircuitOpenError without running it while open (or while a probe is out). */
  async run<T>(action: () => Promise<T>): Promise<T> {
    if (typeof action !== 'function') throw new TypeError(`CircuitBreaker.run: expected a function to call, got ${typeof action}`);
    const state = this.state;
    // A probe that never answers must not hold the breaker open forever: after a cooldown, another may go.
    const probeOut = this.#probe !== undefined && this.#now() - this.#probe.since < this.#cooldownMs;
    // Stryker disable next-line ConditionalExpression: a probe is out only while half-open (closing or reopening clears it)
    if (state === 'open' || (state === 'half-open' && probeOut)) {
      throw new CircuitOpenError(`the circuit is open: skipping the call for up to ${this.#cooldownMs} ms after ${this.#threshold} failures`);
    }
    let probe: number | undefined;
    if (state === 'half-open') {
      // Stryker disable next-line UpdateOperator: counting down gives unique ids too
      probe = ++this.#probes;
      this.#probe = { id: probe, since: this.#now() };
      this.#onStateChange?.('half-open', 'open');
    }
    try {
      const result = await action();
      if (probe !== undefined) this.#probeEnded(probe, true);
      return result;
    } catch (error) {
      const failed = this.#isFailure(error);
      if (probe !== undefined) this.#probeEnded(probe, !failed);
      else if (failed) this.#failedWhileClosed();
      throw error;
    }
  }

  /** The probe's answer decides, unless a later probe has taken its place. */
  #probeEnded(id: number, ok: boolean): void {
    if (this.#probe?.id !== id) return;
    this.#probe = undefined;
    if (!ok) return this.#open(this.#now(), 'half-open');
    this.#openedAt = undefined; // the failures were cleared when it opened
    this.#onStateChange?.('closed', 'half-open');
  }

  #failedWhileClosed(): void {
    // A call that started before the breaker opened and fails after it does not reopen it.
    if (this.#openedAt !== undefined) return;
    const now = this.#now();
    this.#failures = this.#failures.filter((at) => now - at < this.#windowMs);
    this.#failures.push(now);
    if (this.#failures.length >= this.#threshold) this.#open(now, 'closed');
  }

  #open(now: number, from: BreakerState): void {
    this.#openedAt = now;
    // Stryker disable next-line ArrayDeclaration: a non-number in the list is NaN ms old and filtered out at the next failure
    this.#failures = [];
    this.#onStateChange?.('open', from);
  }
}
