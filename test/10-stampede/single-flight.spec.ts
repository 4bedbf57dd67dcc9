import { describe, expect, it, vi } from 'vitest';
import { getOrLoadShared, LoadTimeoutError, SingleFlight } from '@kata/10-stampede/single-flight.js';
import { useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';
import { failing } from '../04-caching-patterns/helpers.js';
import { deferred } from './deferred.js';
import { missOnce } from './miss-once.js';
import { track } from './settle.js';

const ns = useRedis();

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

  it('loads different keys separately, and counts the loads running (size)', async () => {
    const flight = new SingleFlight();
    const gates = { a: deferred<string>(), b: deferred<string>() };
    const load = vi.fn((key: 'a' | 'b') => gates[key].promise);
    const calls = Promise.all([flight.run('a', () => load('a')), flight.run('b', () => load('b')), flight.run('a', () => load('a'))]);
    calls.catch(() => {}); // answered below, after the size is checked
    expect(flight.size).toBe(2);
    gates.a.resolve('A');
    gates.b.resolve('B');
    expect(await calls).toEqual(['A', 'B', 'A']);
    expect(load).toHaveBeenCalledTimes(2);
    expect(flight.size).toBe(0);
  });

  it('shares a failed load with every waiter, and does not keep the failure: the next call loads again', async () => {
    const flight = new SingleFlight();
    const gate = deferred<string>();
    const down = new Error('database down');
    const calls = Promise.allSettled([flight.run('a', () => gate.promise), flight.run('a', () => gate.promise)]);
    gate.reject(down);
    expect(await calls).toEqual([
      { status: 'rejected', reason: down },
      { status: 'rejected', reason: down },
    ]);
    await expect(flight.run('a', async () => 'back')).resolves.toBe('back');
  });

  it('turns a load that throws instead of rejecting into a rejection for its waiters', async () => {
    const flight = new SingleFlight();
    const thrown = new Error('thrown at once');
    const call = Promise.resolve().then(() =>
      flight.run('a', () => {
        throw thrown;
      }),
    );
    await expect(call).rejects.toBe(thrown);
    expect(flight.size).toBe(0);
  });

  it('never lets a waiter hang: after timeoutMs it gets a LoadTimeoutError, and the load goes on for the next caller', async () => {
    vi.useFakeTimers();
    const flight = new SingleFlight();
    const gate = deferred<string>();
    const load = vi.fn(() => gate.promise);
    const first = track(flight.run('slow', load, 100));
    await vi.advanceTimersByTimeAsync(100);
    expect(first.now.state).toBe('rejected');
    expect(first.now.state === 'rejected' && first.now.error).toBeInstanceOf(LoadTimeoutError);
    const second = flight.run('slow', load); // joins the load that is still running
    gate.resolve('late but right');
    await expect(second).resolves.toBe('late but right');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('refuses an empty key (TypeError) and a timeout Node cannot keep (RangeError), before loading', async () => {
    const load = vi.fn(async () => 'v');
    await expectRefusal(() => new SingleFlight().run('', load), TypeError, 'key');
    for (const timeoutMs of [0, Number.NaN, 2 ** 31]) await expectRefusal(() => new SingleFlight().run('a', load, timeoutMs), RangeError, 'timeoutMs');
    expect(load).not.toHaveBeenCalled();
  });
});

describe('getOrLoadShared (cache-aside with single flight)', () => {
  it('costs exactly 1 load for 100 concurrent gets of a cold key (the naive cache-aside costs 100)', async () => {
    const flight = new SingleFlight();
    const gate = deferred<void>();
    const loader = vi.fn(async () => {
      await gate.promise;
      return { id: 1, name: 'Ann' };
    });
    const gets = Array.from({ length: 100 }, () => getOrLoadShared(ns.redis, flight, ns.key('user', 1), loader, { ttlSeconds: 60 }));
    await vi.waitFor(() => expect(loader).toHaveBeenCalled());
    gate.resolve();
    const values = await Promise.all(gets);
    expect(values.every((v) => v.name === 'Ann')).toBe(true);
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('stores the loaded value with its TTL, so the next get is a hit in Redis', async () => {
    const loader = vi.fn(async () => 42);
    await getOrLoadShared(ns.redis, new SingleFlight(), ns.key('n'), loader, { ttlSeconds: 60 });
    expect(await getOrLoadShared(ns.redis, new SingleFlight(), ns.key('n'), loader, { ttlSeconds: 60 })).toBe(42);
    expect(loader).toHaveBeenCalledTimes(1);
    const ttl = await ns.redis.ttl(ns.key('n'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('looks in Redis once more inside the flight: a value written just after its miss is used, not loaded again', async () => {
    await ns.redis.set(ns.key('late'), JSON.stringify('written by the previous flight'));
    const loader = vi.fn(async () => 'loaded again');
    const value = await getOrLoadShared(missOnce(ns.redis), new SingleFlight(), ns.key('late'), loader, { ttlSeconds: 60 });
    expect(value).toBe('written by the previous flight');
    expect(loader).not.toHaveBeenCalled();
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

  it('refuses an empty key (TypeError) or a bad TTL (RangeError) before Redis or the loader is asked', async () => {
    const loader = vi.fn(async () => 1);
    await expectRefusal(() => getOrLoadShared(ns.redis, new SingleFlight(), '', loader, { ttlSeconds: 60 }), TypeError, 'key');
    await expectRefusal(() => getOrLoadShared(ns.redis, new SingleFlight(), ns.key('k'), loader, { ttlSeconds: Number.NaN }), RangeError, 'ttlSeconds');
    expect(loader).not.toHaveBeenCalled();
  });
});
