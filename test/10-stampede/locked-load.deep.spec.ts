import { describe, expect, it, vi } from 'vitest';
import { getOrLoadLocked } from '@kata/10-stampede/locked-load.js';
import { invalidate } from '../../provided/redis-lock.js';
import { useRedis } from '../support/redis.js';
import { failing } from '../04-caching-patterns/helpers.js';
import { deferred } from './deferred.js';
import { missOnce } from './miss-once.js';
import { recordedSleep } from './sleeps.js';

const ns = useRedis();

/** Someone else holds <key>:lock for a minute. */
const heldBySomeone = () => ns.redis.set(ns.key('k:lock'), 'someone', 'PX', 60_000);

describe('getOrLoadLocked, in depth: the waits', () => {
  it('waits exactly maxWaitMs in total before it loads by itself (the last wait is cut to fit)', async () => {
    await heldBySomeone();
    for (const maxWaitMs of [500, 333, 1]) {
      const { sleep, total } = recordedSleep();
      await getOrLoadLocked(ns.redis, ns.key('k'), async () => 0, { ttlSeconds: 60, maxWaitMs, sleep });
      expect(total()).toBe(maxWaitMs);
    }
  });

  it.each([Number.NaN, 7, -1])('counts a broken random() (%s) as 0.5, and still gives up after maxWaitMs', async (broken) => {
    await heldBySomeone();
    const { slept, sleep, total } = recordedSleep();
    await getOrLoadLocked(ns.redis, ns.key('k'), async () => 0, { ttlSeconds: 60, maxWaitMs: 300, random: () => broken, sleep });
    expect(slept.slice(0, 4)).toEqual([5, 10, 20, 40]);
    expect(total()).toBe(300);
  });

  it('waits at least 1 ms when random() says 0, and the whole delay when it says 1', async () => {
    await heldBySomeone();
    for (const [draw, first] of [[0, [1, 1, 1]], [1, [10, 20, 40]]] as const) {
      const { slept, sleep } = recordedSleep();
      await getOrLoadLocked(ns.redis, ns.key('k'), async () => 0, { ttlSeconds: 60, maxWaitMs: 100, random: () => draw, sleep });
      expect(slept.slice(0, 3)).toEqual(first);
    }
  });

  it('starts from firstDelayMs and never waits more than 250 ms at once', async () => {
    await heldBySomeone();
    const { slept, sleep } = recordedSleep();
    await getOrLoadLocked(ns.redis, ns.key('k'), async () => 0, { ttlSeconds: 60, maxWaitMs: 2_000, firstDelayMs: 100, random: () => 1, sleep });
    expect(slept.slice(0, 4)).toEqual([100, 200, 250, 250]);
  });

  it('takes the lock itself when the holder dies and its lock expires while it waits', async () => {
    await ns.redis.set(ns.key('k:lock'), 'someone', 'PX', 60_000);
    const loader = vi.fn(async () => 'mine');
    const value = await getOrLoadLocked(ns.redis, ns.key('k'), loader, {
      ttlSeconds: 60,
      sleep: async () => void (await ns.redis.del(ns.key('k:lock'))), // the dead holder's TTL runs out
    });
    expect(value).toBe('mine');
    expect(await ns.redis.get(ns.key('k'))).toBe(JSON.stringify('mine')); // as the holder, it writes
  });

  it('waits on real timers by default, and gives up after maxWaitMs', async () => {
    await heldBySomeone();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let done = false;
    const get = getOrLoadLocked(ns.redis, ns.key('k'), async () => 'mine', { ttlSeconds: 60, maxWaitMs: 100, random: () => 1 });
    void get.then(() => (done = true));
    // Move the fake clock 10 ms at a time, and let Redis's real replies arrive in between.
    let advanced = 0;
    const started = Date.now(); // Date is real here: only setTimeout is faked
    while (!done && Date.now() - started < 8_000) {
      await vi.advanceTimersByTimeAsync(10);
      advanced += 10;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await get).toBe('mine');
    expect(advanced).toBeGreaterThanOrEqual(100); // it slept its 100 ms on the timers, not zero
  });

  it('leaves the cache to the holder: a waiter that gave up answers from its own load but writes nothing', async () => {
    await heldBySomeone();
    const { sleep } = recordedSleep();
    expect(await getOrLoadLocked(ns.redis, ns.key('k'), async () => 'mine', { ttlSeconds: 60, maxWaitMs: 50, sleep })).toBe('mine');
    expect(await ns.redis.exists(ns.key('k'))).toBe(0);
  });
});

describe('getOrLoadLocked, in depth: the holder', () => {
  it('looks in Redis once more as the holder: a value the previous holder wrote just after our miss is used, not loaded again', async () => {
    await ns.redis.set(ns.key('k'), JSON.stringify('from the previous holder'));
    const loader = vi.fn(async () => 'loaded again');
    expect(await getOrLoadLocked(missOnce(ns.redis), ns.key('k'), loader, { ttlSeconds: 60 })).toBe('from the previous holder');
    expect(loader).not.toHaveBeenCalled();
    expect(await ns.redis.exists(ns.key('k:lock'))).toBe(0);
  });

  it('writes the value with its TTL, as JSON, and caches falsy values like any other', async () => {
    for (const value of [0, null, '', false]) {
      const key = ns.key('falsy', String(value));
      const loader = vi.fn(async () => value);
      await getOrLoadLocked(ns.redis, key, loader, { ttlSeconds: 60 });
      expect(await getOrLoadLocked(ns.redis, key, loader, { ttlSeconds: 60 })).toBe(value);
      expect(loader).toHaveBeenCalledTimes(1);
      expect(await ns.redis.ttl(key)).toBeGreaterThan(0);
    }
  });

  it('loses to an invalidate() that runs while it loads: the value it read before is not written back', async () => {
    const loaded = deferred<string>();
    const loading = vi.fn(() => loaded.promise);
    const get = getOrLoadLocked(ns.redis, ns.key('k'), loading, { ttlSeconds: 60 });
    await vi.waitFor(() => expect(loading).toHaveBeenCalled(), { timeout: 1_000, interval: 1 });
    await invalidate(ns.redis, ns.key('k')); // the database changed after our load read it
    loaded.resolve('old');
    expect(await get).toBe('old');
    expect(await ns.redis.exists(ns.key('k'))).toBe(0);
  });

  it('reports a value JSON cannot hold to onCacheError (a TypeError naming getOrLoadLocked and the key), and still answers it, caching nothing', async () => {
    const onCacheError = vi.fn();
    const value = new Map([[1, 2]]);
    expect(await getOrLoadLocked(ns.redis, ns.key('k'), async () => value, { ttlSeconds: 60, onCacheError })).toBe(value);
    expect(onCacheError).toHaveBeenCalledWith(expect.any(TypeError));
    expect((onCacheError.mock.calls[0]![0] as Error).message).toContain(`getOrLoadLocked(${ns.key('k')})`);
    expect(await ns.redis.exists(ns.key('k'), ns.key('k:lock'))).toBe(0);
  });

  it('reports a failed release to onCacheError (the lock\'s TTL frees it)', async () => {
    const onCacheError = vi.fn();
    const releaseFails = failing(ns.redis, 'eval');
    // eval is also the fenced write: both fail, both are reported, the caller still gets the value
    expect(await getOrLoadLocked(releaseFails, ns.key('k'), async () => 'v', { ttlSeconds: 60, onCacheError })).toBe('v');
    expect(onCacheError).toHaveBeenCalledTimes(2);
  });
});

describe('getOrLoadLocked, in depth: Redis down and bad options', () => {
  it('calls onCacheError exactly twice when Redis is down: the read and the lock, not a write or a release that cannot work', async () => {
    const onCacheError = vi.fn();
    expect(await getOrLoadLocked(failing(ns.redis), ns.key('k'), async () => 'db', { ttlSeconds: 60, onCacheError })).toBe('db');
    expect(onCacheError).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['lockTtlMs', { lockTtlMs: 0 }, 0],
    ['maxWaitMs', { maxWaitMs: Number.POSITIVE_INFINITY }, Number.POSITIVE_INFINITY],
    ['firstDelayMs', { firstDelayMs: 2 ** 31 }, 2 ** 31],
    ['lockTtlMs', { lockTtlMs: 1.5 }, 1.5],
  ])('refuses a bad %s with the exact message, before anything is read', async (name, bad, got) => {
    const loader = vi.fn(async () => 1);
    await expect(getOrLoadLocked(ns.redis, ns.key('k'), loader, { ttlSeconds: 60, ...bad })).rejects.toThrow(
      new RangeError(`getOrLoadLocked: ${name} must be a whole number of milliseconds from 1 to ${2 ** 31 - 1}, got ${got}`),
    );
    expect(loader).not.toHaveBeenCalled();
  });

  it('accepts the longest waits and lock TTL a timer keeps (2^31 - 1 ms)', async () => {
    const longest = 2 ** 31 - 1;
    const value = await getOrLoadLocked(ns.redis, ns.key('k'), async () => 'v', { ttlSeconds: 60, lockTtlMs: longest, maxWaitMs: longest, firstDelayMs: longest });
    expect(value).toBe('v');
  });

  it('refuses an empty key or a bad TTL, naming getOrLoadLocked', async () => {
    await expect(getOrLoadLocked(ns.redis, '', async () => 1, { ttlSeconds: 60 })).rejects.toThrow(/^getOrLoadLocked: the key/);
    await expect(getOrLoadLocked(ns.redis, ns.key('k'), async () => 1, { ttlSeconds: 0 })).rejects.toThrow(/^getOrLoadLocked: ttlSeconds/);
  });
});
