import { afterEach, describe, expect, it, vi } from 'vitest';
import { getOrLoadShared, LoadTimeoutError, MAX_TIMEOUT_MS, SingleFlight } from '@kata/10-stampede/single-flight.js';
import { useRedis } from '../support/redis.js';
import { failing } from '../04-caching-patterns/helpers.js';
import { deferred } from './deferred.js';
import { missOnce } from './miss-once.js';

const ns = useRedis();
afterEach(() => void vi.useRealTimers());

describe('SingleFlight.run', () => {
  it('shares one load among 1,000 concurrent calls for a key, and gives each its value', async () => {
    const flight = new SingleFlight();
    const gate = deferred<string>();
    const load = vi.fn(() => gate.promise);
    const calls = Array.from({ length: 1_000 }, () => flight.run('user:1', load));
    gate.resolve('Ann');
    expect(await Promise.all(calls)).toEqual(Array(1_000).fill('Ann'));
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('loads different keys separately', async () => {
    const flight = new SingleFlight();
    const load = vi.fn(async () => 'v');
    await Promise.all([flight.run('a', load), flight.run('b', load), flight.run('a', load)]);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('remembers nothing once a load has settled: the next call loads again', async () => {
    const flight = new SingleFlight();
    const load = vi.fn(async () => 'v');
    await flight.run('a', load);
    await flight.run('a', load);
    expect(load).toHaveBeenCalledTimes(2);
    expect(flight.size).toBe(0);
  });

  it('shares a failed load with every waiter, and does not keep the failure: the next call tries again', async () => {
    const flight = new SingleFlight();
    const gate = deferred<string>();
    const load = vi.fn(() => gate.promise);
    const calls = [flight.run('a', load), flight.run('a', load)];
    gate.reject(new Error('database down'));
    for (const call of calls) await expect(call).rejects.toThrow('database down');
    await expect(flight.run('a', async () => 'back')).resolves.toBe('back');
  });

  it('turns a load that throws instead of rejecting into a rejection for its waiters', async () => {
    const flight = new SingleFlight();
    const load = () => {
      throw new Error('thrown at once');
    };
    await expect(flight.run('a', load)).rejects.toThrow('thrown at once');
    expect(flight.size).toBe(0);
  });

  it('never lets a waiter hang: after timeoutMs it gets a LoadTimeoutError naming the key', async () => {
    vi.useFakeTimers();
    const flight = new SingleFlight();
    const never = flight.run('slow', () => new Promise<string>(() => {}), 100);
    const assertion = expect(never).rejects.toThrow(LoadTimeoutError);
    await vi.advanceTimersByTimeAsync(100);
    await assertion;
    await expect(never).rejects.toThrow(/slow.*100 ms/);
  });

  it('gives a timed-out waiter a LoadTimeoutError that says so by its name, with the key and the timeout', async () => {
    vi.useFakeTimers();
    const waiting = new SingleFlight().run('user:9', () => new Promise<string>(() => {}), 25);
    const caught = waiting.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(25);
    const error = (await caught) as LoadTimeoutError;
    expect(error.name).toBe('LoadTimeoutError');
    expect(error).toMatchObject({ key: 'user:9', timeoutMs: 25 });
  });

  it('gives a waiter with a timeout the load\'s own error as soon as it fails, not a timeout later', async () => {
    vi.useFakeTimers();
    const gate = deferred<string>();
    const waiting = new SingleFlight().run('a', () => gate.promise, 60_000);
    gate.reject(new Error('database down'));
    await expect(waiting).rejects.toThrow('database down');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('accepts the longest timeout Node keeps (2^31 - 1 ms)', async () => {
    await expect(new SingleFlight().run('a', async () => 'v', MAX_TIMEOUT_MS)).resolves.toBe('v');
  });

  it('refuses an empty key at the call, naming SingleFlight.run', () => {
    expect(() => new SingleFlight().run('', async () => 1)).toThrow(/SingleFlight\.run: the key must be a non-empty string/);
  });

  it('keeps the slow load going after a waiter timed out: a later caller joins it instead of starting a second', async () => {
    vi.useFakeTimers();
    const flight = new SingleFlight();
    const gate = deferred<string>();
    const load = vi.fn(() => gate.promise);
    const first = flight.run('slow', load, 50);
    const firstFails = expect(first).rejects.toThrow(LoadTimeoutError);
    await vi.advanceTimersByTimeAsync(50);
    await firstFails;
    const second = flight.run('slow', load);
    gate.resolve('late but right');
    await expect(second).resolves.toBe('late but right');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('gives a waiter whose load finishes in time its value, with no timer left behind', async () => {
    vi.useFakeTimers();
    const flight = new SingleFlight();
    await expect(flight.run('a', async () => 'quick', 1_000)).resolves.toBe('quick');
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each([0, -1, Number.NaN, 2 ** 31])('refuses a timeout Node cannot keep (%s ms) with a RangeError', (timeoutMs) => {
    const load = vi.fn(async () => 'v');
    expect(() => new SingleFlight().run('a', load, timeoutMs)).toThrow(RangeError);
    expect(() => new SingleFlight().run('a', load, timeoutMs)).toThrow(`timeoutMs must be between 1 and ${MAX_TIMEOUT_MS}`);
    expect(load).not.toHaveBeenCalled();
  });
});

describe('getOrLoadShared (cache-aside with single flight)', () => {
  it('costs exactly 1 load for 1,000 concurrent gets of a cold key (the naive cache-aside costs 1,000)', async () => {
    const flight = new SingleFlight();
    const gate = deferred<void>();
    const loader = vi.fn(async () => {
      await gate.promise;
      return { id: 1, name: 'Ann' };
    });
    const gets = Array.from({ length: 1_000 }, () => getOrLoadShared(ns.redis, flight, ns.key('user', 1), loader, { ttlSeconds: 60 }));
    await vi.waitFor(() => expect(loader).toHaveBeenCalled());
    gate.resolve();
    const values = await Promise.all(gets);
    expect(values.every((v) => v.name === 'Ann')).toBe(true);
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('stores the loaded value with its TTL, so the next get is a hit in Redis', async () => {
    const flight = new SingleFlight();
    const loader = vi.fn(async () => 42);
    await getOrLoadShared(ns.redis, flight, ns.key('n'), loader, { ttlSeconds: 60 });
    expect(await getOrLoadShared(ns.redis, new SingleFlight(), ns.key('n'), loader, { ttlSeconds: 60 })).toBe(42);
    expect(loader).toHaveBeenCalledTimes(1);
    const ttl = await ns.redis.ttl(ns.key('n'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('caches falsy values: a cached 0 or null is a hit, not a reason to load again', async () => {
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
    const loader = vi.fn(async () => {
      throw new Error('database down');
    });
    const gets = Array.from({ length: 10 }, () => getOrLoadShared(ns.redis, flight, ns.key('x'), loader, { ttlSeconds: 60 }));
    for (const get of gets) await expect(get).rejects.toThrow('database down');
    expect(loader).toHaveBeenCalledTimes(1);
    expect(await ns.redis.exists(ns.key('x'))).toBe(0);
  });

  it('still answers when Redis is down, one load for concurrent callers, and tells onCacheError', async () => {
    const onCacheError = vi.fn();
    const flight = new SingleFlight();
    const loader = vi.fn(async () => 'from the database');
    const down = failing(ns.redis);
    const gets = Array.from({ length: 10 }, () => getOrLoadShared(down, flight, ns.key('y'), loader, { ttlSeconds: 60, onCacheError }));
    expect(await Promise.all(gets)).toEqual(Array(10).fill('from the database'));
    expect(loader).toHaveBeenCalledTimes(1);
    expect(onCacheError).toHaveBeenCalled();
  });

  it('never enters the flight on a hit', async () => {
    await ns.redis.set(ns.key('hit'), JSON.stringify('cached'));
    const flight = new SingleFlight();
    const run = vi.spyOn(flight, 'run');
    expect(await getOrLoadShared(ns.redis, flight, ns.key('hit'), async () => 'loaded', { ttlSeconds: 60 })).toBe('cached');
    expect(run).not.toHaveBeenCalled();
  });

  it('looks in Redis once more inside the flight: a value written just after its miss is used, not loaded again', async () => {
    await ns.redis.set(ns.key('late'), JSON.stringify('written by the previous flight'));
    const loader = vi.fn(async () => 'loaded again');
    const value = await getOrLoadShared(missOnce(ns.redis), new SingleFlight(), ns.key('late'), loader, { ttlSeconds: 60 });
    expect(value).toBe('written by the previous flight');
    expect(loader).not.toHaveBeenCalled();
  });

  it('refuses an empty key or a bad TTL at once, naming getOrLoadShared, before Redis or the loader is asked', async () => {
    const loader = vi.fn(async () => 1);
    await expect(getOrLoadShared(ns.redis, new SingleFlight(), '', loader, { ttlSeconds: 60 })).rejects.toThrow(/^getOrLoadShared: the key/);
    await expect(getOrLoadShared(ns.redis, new SingleFlight(), ns.key('k'), loader, { ttlSeconds: Number.NaN })).rejects.toThrow(/^getOrLoadShared: ttlSeconds/);
    expect(loader).not.toHaveBeenCalled();
  });
});
