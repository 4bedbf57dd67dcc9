import type CircuitBreaker from 'opossum';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { libraryBreaker } from '@kata/08-best-practices/library-way.js';

const options = { failureThreshold: 3, windowMs: 1_000, cooldownMs: 5_000 };
const breakers: CircuitBreaker[] = [];

/** A Redis GET that fails while `redis.down` is true. */
/** What the fake Redis throws while it is down: the breaker hands this very error on. */
const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

function redisGet() {
  const redis = { down: false };
  const get = vi.fn(async (key: string) => {
    if (redis.down) throw refused;
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

describe('libraryBreaker (opossum)', () => {
  it('passes calls and results through while closed', async () => {
    const { get } = redisGet();
    const breaker = breakerOn(get);
    await expect(breaker.fire('a')).resolves.toBe('value of a');
    expect(breaker.closed).toBe(true);
  });

  it('stays closed for fewer than failureThreshold failures (opossum\'s default opens on the first)', async () => {
    const { redis, get } = redisGet();
    const breaker = breakerOn(get);
    redis.down = true;
    for (let i = 0; i < 2; i++) await expect(breaker.fire('a')).rejects.toBe(refused);
    expect(breaker.closed).toBe(true);
  });

  it('opens on the failureThreshold-th failure and then fails fast without calling Redis', async () => {
    const { redis, get } = redisGet();
    const breaker = breakerOn(get);
    redis.down = true;
    for (let i = 0; i < 3; i++) await expect(breaker.fire('a')).rejects.toBe(refused);
    expect(breaker.opened).toBe(true);
    get.mockClear();
    for (let i = 0; i < 100; i++) await expect(breaker.fire('a')).rejects.toMatchObject({ code: 'EOPENBREAKER' }); // opossum's own error for an open breaker
    expect(get).not.toHaveBeenCalled();
  });

  it('is half-open after cooldownMs (opossum\'s default waits 30 s) and closes when the probe succeeds', async () => {
    const { redis, get } = redisGet();
    const breaker = breakerOn(get);
    redis.down = true;
    for (let i = 0; i < 3; i++) await breaker.fire('a').catch(() => {});
    vi.advanceTimersByTime(4_999);
    expect(breaker.opened).toBe(true);
    vi.advanceTimersByTime(1);
    expect(breaker.halfOpen).toBe(true);
    redis.down = false;
    await expect(breaker.fire('a')).resolves.toBe('value of a');
    expect(breaker.closed).toBe(true);
  });
});
