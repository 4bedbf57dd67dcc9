/** What the CircuitBreaker specs (core and deep) share: a clock moved by hand, a breaker on it, a Redis call that fails. */
import { expect } from 'vitest';
import { CircuitBreaker, type CircuitBreakerOptions } from '@kata/08-best-practices/circuit-breaker.js';

/** A clock the spec moves by hand. */
export function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

export const down = () => Promise.reject(new Error('ECONNREFUSED'));
export const up = () => Promise.resolve('PONG');

/** 3 failures in 1 s open it for 5 s; its changes of state are recorded as 'from->to'. */
export function breaker(time = clock(), options: Partial<CircuitBreakerOptions> = {}) {
  const changes: string[] = [];
  const b = new CircuitBreaker({
    failureThreshold: 3,
    windowMs: 1_000,
    cooldownMs: 5_000,
    now: time.now,
    onStateChange: (to, from) => changes.push(`${from}->${to}`),
    ...options,
  });
  return { breaker: b, changes, time };
}

export async function failTimes(b: CircuitBreaker, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await expect(b.run(down)).rejects.toThrow('ECONNREFUSED');
}
