import { afterEach, describe, expect, it, vi } from 'vitest';
import { guardRedis } from '../../provided/guarded-redis.js';
import { expectRefusal } from '../support/refusal.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('guardRedis: a Redis call that can neither hang a request nor fail it', () => {
  it('answers { ok: true, value } for a call that answers, and leaves no timer behind', async () => {
    vi.useFakeTimers();
    const guard = guardRedis({ timeoutMs: 100, log: () => {} });
    expect(await guard(async () => 42)).toEqual({ ok: true, value: 42 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('answers { ok: false } for a call that fails, counts it, and logs what failed', async () => {
    const log = vi.fn();
    const onError = vi.fn();
    const guard = guardRedis({ timeoutMs: 100, log, onError });
    expect(await guard(() => Promise.reject(new Error('ECONNREFUSED')))).toEqual({ ok: false });
    expect(onError).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/Redis failed \(ECONNREFUSED\)/));
  });

  it('gives up after timeoutMs, saying so', async () => {
    vi.useFakeTimers();
    const log = vi.fn();
    const guard = guardRedis({ timeoutMs: 200, log });
    const answer = guard(() => new Promise(() => {}));
    await vi.advanceTimersByTimeAsync(200);
    expect(await answer).toEqual({ ok: false });
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/no answer within 200 ms/));
  });

  it('logs once per outage: again only after a call has answered in between', async () => {
    const log = vi.fn();
    const onError = vi.fn();
    const guard = guardRedis({ timeoutMs: 100, log, onError });
    const fail = () => Promise.reject(new Error('down'));
    await guard(fail);
    await guard(fail);
    expect(log).toHaveBeenCalledTimes(1);
    await guard(async () => 'up');
    await guard(fail);
    expect(log).toHaveBeenCalledTimes(2);
    expect(onError).toHaveBeenCalledTimes(3);
  });

  it('counts nothing when no onError is given', async () => {
    expect(await guardRedis({ timeoutMs: 1, log: () => {} })(() => Promise.reject(new Error('x')))).toEqual({ ok: false });
  });

  it.each([0, 2 ** 31, 1.5, Number.NaN])('refuses a timeoutMs of %s with a RangeError naming it (Node fires a timer past 2^31 − 1 at once)', async (timeoutMs) => {
    await expectRefusal(() => guardRedis({ timeoutMs, log: () => {} }), RangeError, 'timeoutMs');
  });

  it('accepts the edges, 1 and 2^31 − 1', () => {
    for (const timeoutMs of [1, 2 ** 31 - 1]) expect(() => guardRedis({ timeoutMs, log: () => {} })).not.toThrow();
  });
});

describe('guardRedis: a log that throws', () => {
  it('still answers { ok: false }, counts the failure, and logs no second time in the same outage', async () => {
    const log = vi.fn(() => {
      throw new Error('the logger is broken');
    });
    const onError = vi.fn();
    const guard = guardRedis({ timeoutMs: 100, log, onError });
    expect(await guard(() => Promise.reject(new Error('down')))).toEqual({ ok: false });
    expect(await guard(() => Promise.reject(new Error('down')))).toEqual({ ok: false });
    expect(log).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledTimes(2);
  });
});
