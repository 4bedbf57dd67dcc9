import { afterEach, describe, expect, it, vi } from 'vitest';
import { CircuitBreaker, CircuitOpenError } from '@kata/08-best-practices/circuit-breaker.js';
import { breaker, clock, failTimes, up } from './breaker-helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('CircuitBreaker, every corner', () => {
  it('counts a failure for exactly windowMs: 3 within 999 ms open it, one 1,000 ms old no longer counts', async () => {
    const inside = breaker();
    await failTimes(inside.breaker, 1);
    inside.time.advance(999);
    await failTimes(inside.breaker, 2);
    expect(inside.breaker.state).toBe('open');
    const outside = breaker();
    await failTimes(outside.breaker, 1);
    outside.time.advance(1_000);
    await failTimes(outside.breaker, 2);
    expect(outside.breaker.state).toBe('closed');
  });

  it('does not reopen or extend the cooldown when calls that started before it opened fail afterwards', async () => {
    const { breaker: b, time, changes } = breaker();
    const slow: Array<(e: Error) => void> = [];
    const pending = Array.from({ length: 6 }, () => b.run(() => new Promise((_, reject) => slow.push(reject))));
    for (const p of pending) p.catch(() => {});
    await Promise.resolve();
    slow.slice(0, 3).forEach((reject) => reject(new Error('timeout')));
    await Promise.allSettled(pending.slice(0, 3));
    expect(b.state).toBe('open');
    time.advance(4_000);
    slow.slice(3).forEach((reject) => reject(new Error('timeout')));
    await Promise.allSettled(pending);
    time.advance(1_000);
    expect(b.state).toBe('half-open');
    expect(changes).toEqual(['closed->open']);
  });

  it('does not count errors isFailure rejects (Redis answered: WRONGTYPE, OOM): passed through, the breaker stays closed', async () => {
    const { breaker: b } = breaker(clock(), { isFailure: (error) => !String(error).includes('WRONGTYPE') });
    const wrongType = () => Promise.reject(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'));
    for (let i = 0; i < 10; i++) await expect(b.run(wrongType)).rejects.toThrow('WRONGTYPE');
    expect(b.state).toBe('closed');
    await failTimes(b, 3);
    expect(b.state).toBe('open');
  });

  it('closes when the probe gets an answer isFailure rejects: Redis answered, so it is up', async () => {
    const { breaker: b, time } = breaker(clock(), { isFailure: (error) => !String(error).includes('WRONGTYPE') });
    await failTimes(b, 3);
    time.advance(5_000);
    await expect(b.run(() => Promise.reject(new Error('WRONGTYPE')))).rejects.toThrow('WRONGTYPE');
    expect(b.state).toBe('closed');
  });

  it('does not stay open forever behind a probe that never answers: after another cooldown a new probe goes', async () => {
    const { breaker: b, time } = breaker();
    await failTimes(b, 3);
    time.advance(5_000);
    let giveUp!: (error: Error) => void;
    const hung = b.run(() => new Promise((_, reject) => (giveUp = reject))); // a client without a command timeout
    time.advance(4_999);
    await expect(b.run(up)).rejects.toThrow(CircuitOpenError);
    time.advance(1);
    await expect(b.run(up)).resolves.toBe('PONG');
    expect(b.state).toBe('closed');
    giveUp(new Error('ETIMEDOUT, at last')); // the old probe's answer no longer decides anything
    await expect(hung).rejects.toThrow('ETIMEDOUT');
    expect(b.state).toBe('closed');
  });

  it('does not count the late failure of a probe a later probe replaced, even with a threshold of 1', async () => {
    const { breaker: b, time } = breaker(clock(), { failureThreshold: 1 });
    await failTimes(b, 1);
    time.advance(5_000);
    let giveUp!: (error: Error) => void;
    const hung = b.run(() => new Promise((_, reject) => (giveUp = reject)));
    time.advance(5_000);
    await expect(b.run(up)).resolves.toBe('PONG'); // the second probe closes it
    giveUp(new Error('ETIMEDOUT, at last'));
    await expect(hung).rejects.toThrow('ETIMEDOUT');
    expect(b.state).toBe('closed');
  });

  it('lets the old probe\'s late success decide nothing either, once a later probe has failed', async () => {
    const { breaker: b, time } = breaker();
    await failTimes(b, 3);
    time.advance(5_000);
    let answer!: (value: string) => void;
    const hung = b.run(() => new Promise<string>((resolve) => (answer = resolve)));
    time.advance(5_000);
    await failTimes(b, 1); // the second probe fails: open again
    answer('PONG, at last');
    await expect(hung).resolves.toBe('PONG, at last');
    expect(b.state).toBe('open');
  });

  it('refuses to run what is not a function with a TypeError, and does not count it as a failure', async () => {
    const { breaker: b } = breaker(clock(), { failureThreshold: 1 });
    await expect(b.run(undefined as never)).rejects.toThrow(TypeError);
    expect(b.state).toBe('closed');
  });

  it('uses Date.now when no clock is given, so fake timers drive it too', async () => {
    vi.useFakeTimers();
    const b = new CircuitBreaker({ failureThreshold: 1, windowMs: 1_000, cooldownMs: 30_000 });
    await failTimes(b, 1);
    expect(b.state).toBe('open');
    vi.advanceTimersByTime(30_000);
    expect(b.state).toBe('half-open');
  });

  it('holds no timer through a whole outage: nothing to close, nothing that keeps a process alive', async () => {
    vi.useFakeTimers();
    const b = new CircuitBreaker({ failureThreshold: 1, windowMs: 1_000, cooldownMs: 5_000 });
    await failTimes(b, 1);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(5_000);
    await expect(b.run(up)).resolves.toBe('PONG');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('works through a whole outage without an onStateChange listener (it is optional)', async () => {
    const time = clock();
    const b = new CircuitBreaker({ failureThreshold: 1, windowMs: 1_000, cooldownMs: 5_000, now: time.now });
    await failTimes(b, 1);
    time.advance(5_000);
    await failTimes(b, 1); // the probe fails: open again
    expect(b.state).toBe('open');
    time.advance(5_000);
    await expect(b.run(up)).resolves.toBe('PONG'); // the probe succeeds: closed
    expect(b.state).toBe('closed');
  });

  it('keeps its state right when onStateChange throws: the change is made first, and a probe whose listener throws counts as failed', async () => {
    const time = clock();
    const listener = vi.fn(() => {
      throw new Error('the logger is broken');
    });
    const b = new CircuitBreaker({ failureThreshold: 2, windowMs: 1_000, cooldownMs: 5_000, now: time.now, onStateChange: listener });
    await expect(b.run(() => Promise.reject(new Error('ECONNREFUSED')))).rejects.toThrow('ECONNREFUSED');
    await expect(b.run(() => Promise.reject(new Error('ECONNREFUSED')))).rejects.toThrow('the logger is broken');
    expect(b.state).toBe('open'); // opened, though its listener threw
    time.advance(5_000);
    const action = vi.fn(up);
    await expect(b.run(action)).rejects.toThrow('the logger is broken');
    expect(action).not.toHaveBeenCalled();
    expect(b.state).toBe('open'); // the probe did not run: open again, no probe left out
    time.advance(5_000);
    expect(b.state).toBe('half-open');
  });

  it('names the open circuit in its error: CircuitOpenError, with the cooldown and the threshold', async () => {
    const { breaker: b } = breaker();
    await failTimes(b, 3);
    const error = await b.run(up).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(error).toMatchObject({ name: 'CircuitOpenError', message: expect.stringMatching(/circuit is open.*5000 ms.*3 failures/) });
  });

  it('says which option is wrong and what it got', () => {
    const ok = { failureThreshold: 3, windowMs: 1_000, cooldownMs: 5_000 };
    expect(() => new CircuitBreaker({ ...ok, failureThreshold: 0 })).toThrow(/CircuitBreaker: failureThreshold .*got 0/);
    expect(() => new CircuitBreaker({ ...ok, windowMs: -1 })).toThrow(/CircuitBreaker: windowMs .*got -1/);
    expect(() => new CircuitBreaker({ ...ok, cooldownMs: Number.NaN })).toThrow(/CircuitBreaker: cooldownMs .*got NaN/);
  });

  it('says what run() got instead of a function', async () => {
    await expect(breaker().breaker.run('PING' as never)).rejects.toThrow(/CircuitBreaker.run: expected a function.*got string/);
  });

  it('refuses every option that would never open, or never close, with a RangeError', () => {
    const ok = { failureThreshold: 3, windowMs: 1_000, cooldownMs: 5_000 };
    for (const bad of [
      { failureThreshold: 0 }, { failureThreshold: 2.5 }, { failureThreshold: Number.NaN }, { failureThreshold: 2 ** 53 },
      { windowMs: 0 }, { windowMs: -1 }, { windowMs: Number.POSITIVE_INFINITY },
      { cooldownMs: 0 }, { cooldownMs: Number.NaN }, { cooldownMs: Number.POSITIVE_INFINITY },
    ]) {
      expect(() => new CircuitBreaker({ ...ok, ...bad }), JSON.stringify(bad)).toThrow(RangeError);
    }
  });

  it('takes the smallest options it can honour: 1 failure, 1 ms windows', async () => {
    const time = clock();
    const b = new CircuitBreaker({ failureThreshold: 1, windowMs: 1, cooldownMs: 1, now: time.now });
    await failTimes(b, 1);
    expect(b.state).toBe('open');
    time.advance(1);
    expect(b.state).toBe('half-open');
  });
});
