import type CircuitBreaker from 'opossum';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { libraryBreaker } from '@kata/08-best-practices/library-way.js';

const options = { failureThreshold: 3, windowMs: 1_000, cooldownMs: 5_000 };
const breakers: CircuitBreaker[] = [];

/** A Redis GET that fails while `redis.down` is true. */
function redisGet() {
  const redis = { down: false };
  const get = vi.fn(async (key: string) => {
    if (redis.down) throw new Error('connect ECONNREFUSED');
    return `value of ${key}`;
  });
  return { redis, get };
}

function breakerOn(get: (key: string) => Promise<string>) {
  const breaker = libraryBreaker(get, options);
  breakers.push(breaker);
  return breaker;
}

beforeEach(() => {
  vi.useFakeTimers(); // opossum's windows and its reset are timers
});
afterEach(() => {
  breakers.splice(0).forEach((b) => b.shutdown());
});

describe('libraryBreaker (opossum), every corner', () => {
  it('does not time calls out itself (a 10 s default): a slow answer is the Redis client\'s commandTimeout to judge', async () => {
    let answer!: (value: string) => void;
    const breaker = breakerOn(() => new Promise<string>((resolve) => (answer = resolve)));
    const call = breaker.fire('a');
    vi.advanceTimersByTime(60_000);
    answer('late but fine');
    await expect(call).resolves.toBe('late but fine');
  });

  it('forgets failures older than windowMs: 3 failures 1 s apart do not open it', async () => {
    const { redis, get } = redisGet();
    const breaker = breakerOn(get);
    redis.down = true;
    for (let i = 0; i < 3; i++) {
      await breaker.fire('a').catch(() => {});
      vi.advanceTimersByTime(1_000);
    }
    expect(breaker.closed).toBe(true);
  });

  it('serves a fallback while open, as FailSafeCache serves its copy', async () => {
    const { redis, get } = redisGet();
    const breaker = breakerOn(get);
    breaker.fallback(() => 'the last known value');
    redis.down = true;
    for (let i = 0; i < 3; i++) await breaker.fire('a');
    expect(breaker.opened).toBe(true);
    await expect(breaker.fire('a')).resolves.toBe('the last known value');
  });

  it('opens again when the probe fails, for another cooldown', async () => {
    const { redis, get } = redisGet();
    const breaker = breakerOn(get);
    redis.down = true;
    for (let i = 0; i < 3; i++) await breaker.fire('a').catch(() => {});
    vi.advanceTimersByTime(5_000);
    await expect(breaker.fire('a')).rejects.toThrow('ECONNREFUSED');
    expect(breaker.opened).toBe(true);
    vi.advanceTimersByTime(4_999);
    expect(breaker.opened).toBe(true);
  });
});

describe('libraryBreaker (opossum): its timers never keep a process alive', () => {
  it('unrefs every timer it holds, open or closed, and shutdown() ends it from any state', async () => {
    vi.useRealTimers();
    const before = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const { redis, get } = redisGet();
    const breaker = libraryBreaker(get, options);
    redis.down = true;
    for (let i = 0; i < 3; i++) await breaker.fire('a').catch(() => {});
    expect(breaker.opened).toBe(true); // a reset timer and the rolling window's interval are pending
    expect(process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length).toBe(before);
    breaker.shutdown();
    expect(breaker.isShutdown).toBe(true);
    await expect(breaker.fire('a')).rejects.toThrow(/shut ?down/i);
  });
});
