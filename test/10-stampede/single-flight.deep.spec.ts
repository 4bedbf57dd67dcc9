import { describe, expect, it, vi } from 'vitest';
import { getOrLoadShared, LoadTimeoutError, MAX_TIMEOUT_MS, SingleFlight } from '@kata/10-stampede/single-flight.js';
import { useRedis } from '../support/redis.js';
import { deferred } from './deferred.js';
import { track } from './settle.js';

const ns = useRedis();

describe('SingleFlight.run, in depth', () => {
  it('gives a timed-out waiter a LoadTimeoutError that says so by its name, with the key and the timeout', async () => {
    vi.useFakeTimers();
    const waiting = track(new SingleFlight().run('user:9', () => new Promise<string>(() => {}), 25));
    await vi.advanceTimersByTimeAsync(25);
    expect(waiting.now.state).toBe('rejected');
    const error = (waiting.now as { error: LoadTimeoutError }).error;
    expect(error.name).toBe('LoadTimeoutError');
    expect(error).toMatchObject({ key: 'user:9', timeoutMs: 25 });
    expect(error.message).toMatch(/user:9.*25 ms/);
  });

  it('does not time a waiter out a millisecond early', async () => {
    vi.useFakeTimers();
    const waiting = track(new SingleFlight().run('a', () => new Promise<string>(() => {}), 100));
    await vi.advanceTimersByTimeAsync(99);
    expect(waiting.now.state).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(waiting.now.state).toBe('rejected');
  });

  it('gives a waiter with a timeout the load\'s own error as soon as it fails, not a timeout later, and leaves no timer', async () => {
    vi.useFakeTimers();
    const gate = deferred<string>();
    const down = new Error('database down');
    const waiting = new SingleFlight().run('a', () => gate.promise, 60_000);
    gate.reject(down);
    await expect(waiting).rejects.toBe(down);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives a waiter whose load finishes in time its value, with no timer left behind', async () => {
    vi.useFakeTimers();
    await expect(new SingleFlight().run('a', async () => 'quick', 1_000)).resolves.toBe('quick');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never keeps a process alive for a waiter\'s deadline (the timer is unref\'d)', async () => {
    const unref = vi.spyOn(globalThis, 'setTimeout');
    const gate = deferred<string>();
    const waiting = new SingleFlight().run('a', () => gate.promise, 60_000);
    await Promise.resolve();
    const timer = unref.mock.results.find((r) => r.type === 'return')?.value as NodeJS.Timeout | undefined;
    expect(timer?.hasRef()).toBe(false);
    gate.resolve('v');
    await waiting;
  });

  it('accepts the longest timeout Node keeps (2^31 - 1 ms), and Infinity (the default)', async () => {
    await expect(new SingleFlight().run('a', async () => 'v', MAX_TIMEOUT_MS)).resolves.toBe('v');
    await expect(new SingleFlight().run('a', async () => 'w', Number.POSITIVE_INFINITY)).resolves.toBe('w');
  });

  it('rejects bad arguments (never throws at the call), like every promise of this lesson, with the exact messages', async () => {
    const flight = new SingleFlight();
    const load = vi.fn(async () => 'v');
    let empty: Promise<unknown> | undefined;
    expect(() => (empty = flight.run('', load))).not.toThrow();
    await expect(empty).rejects.toThrow(/^SingleFlight\.run: the key must be a non-empty string/);
    for (const timeoutMs of [0, -1, Number.NaN, 2 ** 31]) {
      let bad: Promise<unknown> | undefined;
      expect(() => (bad = flight.run('a', load, timeoutMs))).not.toThrow();
      await expect(bad).rejects.toThrow(new RangeError(`SingleFlight.run: timeoutMs must be between 1 and ${MAX_TIMEOUT_MS} (or Infinity), got ${timeoutMs}`));
    }
    expect(load).not.toHaveBeenCalled();
  });

  it('turns a load that throws into a rejection, never a throw at the call', async () => {
    const thrown = new Error('thrown at once');
    let call: Promise<unknown> | undefined;
    expect(() => {
      call = new SingleFlight().run('a', () => {
        throw thrown;
      });
    }).not.toThrow();
    await expect(call).rejects.toBe(thrown);
  });

  it('starts the load in the call itself: a thousand calls in one tick start it once', () => {
    const flight = new SingleFlight();
    const load = vi.fn(() => new Promise<string>(() => {}));
    for (let i = 0; i < 1_000; i++) void flight.run('k', load);
    expect(load).toHaveBeenCalledTimes(1);
    expect(flight.size).toBe(1);
  });
});

describe('getOrLoadShared, in depth', () => {
  it('caches falsy values: a cached 0, null, \'\' or false is a hit, not a reason to load again', async () => {
    for (const value of [0, null, '', false]) {
      const loader = vi.fn(async () => value);
      const key = ns.key('falsy', String(value));
      await getOrLoadShared(ns.redis, new SingleFlight(), key, loader, { ttlSeconds: 60 });
      expect(await getOrLoadShared(ns.redis, new SingleFlight(), key, loader, { ttlSeconds: 60 })).toBe(value);
      expect(loader).toHaveBeenCalledTimes(1);
    }
  });

  it('shares a failed load with every concurrent caller and caches nothing', async () => {
    const flight = new SingleFlight();
    const down = new Error('database down');
    const loader = vi.fn(async () => Promise.reject(down));
    const gets = Promise.allSettled(Array.from({ length: 10 }, () => getOrLoadShared(ns.redis, flight, ns.key('x'), loader, { ttlSeconds: 60 })));
    expect(await gets).toEqual(Array(10).fill({ status: 'rejected', reason: down }));
    expect(loader).toHaveBeenCalledTimes(1);
    expect(await ns.redis.exists(ns.key('x'))).toBe(0);
  });

  it('never enters the flight on a hit', async () => {
    await ns.redis.set(ns.key('hit'), JSON.stringify('cached'));
    const flight = new SingleFlight();
    const run = vi.spyOn(flight, 'run');
    expect(await getOrLoadShared(ns.redis, flight, ns.key('hit'), async () => 'loaded', { ttlSeconds: 60 })).toBe('cached');
    expect(run).not.toHaveBeenCalled();
  });

  it('gives each caller its own timeout: one that gives up does not fail the others', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const flight = new SingleFlight();
    const gate = deferred<string>();
    const key = ns.key('slow');
    const impatient = track(getOrLoadShared(ns.redis, flight, key, () => gate.promise, { ttlSeconds: 60, timeoutMs: 50 }));
    const patient = getOrLoadShared(ns.redis, flight, key, () => gate.promise, { ttlSeconds: 60 });
    await vi.waitFor(() => expect(flight.size).toBe(1));
    await vi.advanceTimersByTimeAsync(50);
    await vi.waitFor(() => expect(impatient.now.state).toBe('rejected'));
    gate.resolve('v');
    await expect(patient).resolves.toBe('v');
  });

  it('refuses an empty key or a bad TTL, naming getOrLoadShared', async () => {
    const loader = vi.fn(async () => 1);
    await expect(getOrLoadShared(ns.redis, new SingleFlight(), '', loader, { ttlSeconds: 60 })).rejects.toThrow(/^getOrLoadShared: the key/);
    await expect(getOrLoadShared(ns.redis, new SingleFlight(), ns.key('k'), loader, { ttlSeconds: Number.NaN })).rejects.toThrow(/^getOrLoadShared: ttlSeconds/);
  });
});
