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
  #failures: number[] = []; // when each recent failure happened
  #openedAt: number | undefined;
  #probing = false;

  constructor({ failureThreshold, windowMs, cooldownMs, now = Date.now, onStateChange }: CircuitBreakerOptions) {
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
  }

  get state(): BreakerState {
    if (this.#openedAt === undefined) return 'closed';
    return this.#now() - this.#openedAt >= this.#cooldownMs ? 'half-open' : 'open';
  }

  /** Runs `action`, or throws CircuitOpenError without running it while open (or while a probe is out). */
  async run<T>(action: () => Promise<T>): Promise<T> {
    const state = this.state;
    if (state === 'open' || (state === 'half-open' && this.#probing)) {
      throw new CircuitOpenError(`the circuit is open: skipping the call for up to ${this.#cooldownMs} ms after ${this.#threshold} failures`);
    }
    if (state === 'half-open') {
      this.#probing = true;
      this.#onStateChange?.('half-open', 'open');
    }
    try {
      const result = await action();
      this.#succeeded(state);
      return result;
    } catch (error) {
      this.#failed(state);
      throw error;
    } finally {
      if (state === 'half-open') this.#probing = false;
    }
  }

  #succeeded(was: BreakerState): void {
    if (was !== 'half-open') return;
    this.#openedAt = undefined;
    this.#failures = [];
    this.#onStateChange?.('closed', 'half-open');
  }

  #failed(was: BreakerState): void {
    const now = this.#now();
    if (was === 'half-open') return this.#open(now, 'half-open');
    // A call that started before the breaker opened and fails after it does not reopen it.
    if (this.#openedAt !== undefined) return;
    this.#failures = this.#failures.filter((at) => now - at < this.#windowMs);
    this.#failures.push(now);
    if (this.#failures.length >= this.#threshold) this.#open(now, 'closed');
  }

  #open(now: number, from: BreakerState): void {
    this.#openedAt = now;
    this.#failures = [];
    this.#onStateChange?.('open', from);
  }
}
