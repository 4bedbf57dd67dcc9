import { describe, expect, it, vi } from 'vitest';
import { CircuitBreaker, CircuitOpenError, type CircuitBreakerOptions } from '@kata/08-best-practices/circuit-breaker.js';
import { expectRefusal } from '../support/refusal.js';
import { breaker, failTimes, up } from './breaker-helpers.js';

describe('CircuitBreaker', () => {
  it('starts closed and passes calls through: their results, and their own errors', async () => {
    const { breaker: b } = breaker();
    expect(b.state).toBe('closed');
    await expect(b.run(up)).resolves.toBe('PONG');
    await failTimes(b, 1);
    expect(b.state).toBe('closed');
  });

  it('opens after failureThreshold failures within windowMs, not before, and says so to onStateChange', async () => {
    const { breaker: b, changes } = breaker();
    await failTimes(b, 2);
    expect(b.state).toBe('closed');
    await failTimes(b, 1);
    expect(b.state).toBe('open');
    expect(changes).toEqual(['closed->open']);
  });

  it('forgets failures older than windowMs: 3 failures spread over 3 s do not open it', async () => {
    const { breaker: b, time } = breaker();
    for (let i = 0; i < 3; i++) {
      await failTimes(b, 1);
      time.advance(1_000);
    }
    expect(b.state).toBe('closed');
  });

  it('while open, fails at once with CircuitOpenError and never calls Redis (no timeout paid per request)', async () => {
    const { breaker: b, time } = breaker();
    await failTimes(b, 3);
    const action = vi.fn(up);
    for (let i = 0; i < 100; i++) await expect(b.run(action)).rejects.toThrow(CircuitOpenError);
    time.advance(4_999);
    await expect(b.run(action)).rejects.toThrow(CircuitOpenError);
    expect(action).not.toHaveBeenCalled();
  });

  it('is half-open after cooldownMs and lets exactly one probe through; others still fail fast while it is out', async () => {
    const { breaker: b, time } = breaker();
    await failTimes(b, 3);
    time.advance(5_000);
    expect(b.state).toBe('half-open');
    let answer!: (value: string) => void;
    const probe = vi.fn(() => new Promise<string>((resolve) => (answer = resolve)));
    const first = b.run(probe);
    const other = vi.fn(up);
    await expect(b.run(other)).rejects.toThrow(CircuitOpenError);
    expect(other).not.toHaveBeenCalled();
    answer('PONG');
    await expect(first).resolves.toBe('PONG');
    expect(probe).toHaveBeenCalledTimes(1);
  });

  it('closes when the probe succeeds, with the old failures forgotten', async () => {
    const { breaker: b, time, changes } = breaker();
    await failTimes(b, 3);
    time.advance(5_000);
    await expect(b.run(up)).resolves.toBe('PONG');
    expect(b.state).toBe('closed');
    await failTimes(b, 2); // two new failures: under the threshold again
    expect(b.state).toBe('closed');
    expect(changes).toEqual(['closed->open', 'open->half-open', 'half-open->closed']);
  });

  it('opens again for a full cooldown when the probe fails', async () => {
    const { breaker: b, time, changes } = breaker();
    await failTimes(b, 3);
    time.advance(5_000);
    await failTimes(b, 1);
    expect(b.state).toBe('open');
    time.advance(4_999);
    expect(b.state).toBe('open');
    time.advance(1);
    expect(b.state).toBe('half-open');
    expect(changes).toEqual(['closed->open', 'open->half-open', 'half-open->open']);
  });

  it('refuses options that would never open, or never close (RangeError)', async () => {
    const ok: CircuitBreakerOptions = { failureThreshold: 3, windowMs: 1_000, cooldownMs: 5_000 };
    await expectRefusal(() => new CircuitBreaker({ ...ok, failureThreshold: 0 }), RangeError, 'failureThreshold');
    await expectRefusal(() => new CircuitBreaker({ ...ok, failureThreshold: 2.5 }), RangeError, 'failureThreshold');
    await expectRefusal(() => new CircuitBreaker({ ...ok, windowMs: 0 }), RangeError, 'windowMs');
    await expectRefusal(() => new CircuitBreaker({ ...ok, cooldownMs: Number.NaN }), RangeError, 'cooldownMs');
  });
});
