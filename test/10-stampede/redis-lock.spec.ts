import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { acquireLock, getOrLoadLocked, MAX_LOCK_MS, releaseLock } from '@kata/10-stampede/redis-lock.js';
import { onRealRedis, redisUrl, useRedis } from '../support/redis.js';
import { failing } from '../04-caching-patterns/helpers.js';
import { deferred } from './deferred.js';
import { missOnce } from './miss-once.js';

afterEach(() => void vi.useRealTimers());

const ns = useRedis();

describe('acquireLock and releaseLock', () => {
  it('gives the lock to exactly one of 10 processes asking at once (one atomic SET NX PX, not GET then SET)', async () => {
    const clients = await Promise.all(Array.from({ length: 10 }, () => ns.connect()));
    const locks = await Promise.all(clients.map((c) => acquireLock(c, ns.key('lock'), 5_000)));
    expect(locks.filter((l) => l !== null)).toHaveLength(1);
  });

  it('frees itself: the lock key carries the TTL it was given', async () => {
    await acquireLock(ns.redis, ns.key('lock'), 5_000);
    const pttl = await ns.redis.pttl(ns.key('lock'));
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(5_000);
  });

  it('release frees a lock we hold, so the next caller gets it', async () => {
    const lock = await acquireLock(ns.redis, ns.key('lock'), 5_000);
    expect(lock).not.toBeNull();
    expect(await releaseLock(ns.redis, lock!)).toBe(true);
    expect(await acquireLock(ns.redis, ns.key('lock'), 5_000)).not.toBeNull();
  });

  it('release never deletes a lock someone else holds now (ours expired and passed on): compare-and-delete', async () => {
    const ours = await acquireLock(ns.redis, ns.key('lock'), 5_000);
    await ns.redis.del(ns.key('lock')); // as if our TTL ran out while we were still loading
    const theirs = await acquireLock(ns.redis, ns.key('lock'), 5_000);
    expect(theirs).not.toBeNull();
    expect(await releaseLock(ns.redis, ours!)).toBe(false);
    expect(await ns.redis.get(ns.key('lock'))).toBe(theirs!.token);
  });

  it('uses a different, unguessable token (at least 128 random bits) for every acquisition', async () => {
    const a = await acquireLock(ns.redis, ns.key('a'), 5_000);
    const b = await acquireLock(ns.redis, ns.key('b'), 5_000);
    expect(a!.token).not.toBe(b!.token);
    expect(a!.token.length).toBeGreaterThanOrEqual(22); // 16 bytes in base64url
  });

  it.each([1, MAX_LOCK_MS])('accepts a lock TTL of %s ms, the shortest and the longest a timer keeps', async (ttlMs) => {
    expect(await acquireLock(ns.redis, ns.key('lock'), ttlMs)).not.toBeNull();
  });

  it('refuses an empty lock key, naming acquireLock', async () => {
    await expect(acquireLock(ns.redis, '', 5_000)).rejects.toThrow(/^acquireLock: the key must be a non-empty string/);
  });

  it.each([0, 1.5, Number.NaN, 2 ** 31])('refuses a lock TTL of %s ms with a RangeError, before Redis is asked', async (ttlMs) => {
    await expect(acquireLock(ns.redis, ns.key('lock'), ttlMs)).rejects.toThrow(RangeError);
    await expect(acquireLock(ns.redis, ns.key('lock'), ttlMs)).rejects.toThrow(
      `acquireLock: ttlMs must be a whole number of milliseconds from 1 to ${MAX_LOCK_MS}, got ${ttlMs}`,
    );
    expect(await ns.redis.exists(ns.key('lock'))).toBe(0);
  });
});

/** A sleep the spec controls: every call waits until the spec lets the sleepers go. */
function controlledSleep() {
  let wake = deferred<void>();
  const sleep = vi.fn(async (_ms: number) => wake.promise);
  return {
    sleep,
    wakeAll() {
      wake.resolve();
      wake = deferred<void>();
    },
  };
}

describe('getOrLoadLocked', () => {
  it('costs 1 load when 4 app instances (4 connections) miss the same key at once; all get the value', async () => {
    const clients = await Promise.all(Array.from({ length: 4 }, () => ns.connect()));
    const gate = deferred<void>();
    const loader = vi.fn(async () => {
      await gate.promise;
      return { id: 7 };
    });
    const { sleep, wakeAll } = controlledSleep();
    const gets = clients.map((c) => getOrLoadLocked(c, ns.key('user', 7), loader, { ttlSeconds: 60, sleep }));
    await vi.waitFor(() => expect(sleep).toHaveBeenCalledTimes(3)); // three wait while one loads
    gate.resolve();
    await vi.waitFor(async () => expect(await ns.redis.exists(ns.key('user', 7, 'lock'))).toBe(0)); // written and released
    wakeAll();
    expect(await Promise.all(gets)).toEqual(Array(4).fill({ id: 7 }));
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('releases its lock after loading, and also when the loader fails', async () => {
    await getOrLoadLocked(ns.redis, ns.key('ok'), async () => 1, { ttlSeconds: 60 });
    expect(await ns.redis.exists(ns.key('ok:lock'))).toBe(0);
    await expect(getOrLoadLocked(ns.redis, ns.key('bad'), async () => Promise.reject(new Error('db')), { ttlSeconds: 60 })).rejects.toThrow('db');
    expect(await ns.redis.exists(ns.key('bad:lock'))).toBe(0);
    expect(await ns.redis.exists(ns.key('bad'))).toBe(0);
  });

  it('loads by itself after maxWaitMs when the lock holder never writes (it died), and waits no longer', async () => {
    await ns.redis.set(ns.key('k:lock'), 'a dead holder', 'PX', 60_000);
    const slept: number[] = [];
    const loader = vi.fn(async () => 'loaded anyway');
    const value = await getOrLoadLocked(ns.redis, ns.key('k'), loader, {
      ttlSeconds: 60,
      maxWaitMs: 500,
      sleep: async (ms) => void slept.push(ms),
    });
    expect(value).toBe('loaded anyway');
    expect(loader).toHaveBeenCalledTimes(1);
    expect(slept.reduce((a, b) => a + b, 0)).toBe(500);
    expect(await ns.redis.get(ns.key('k:lock'))).toBe('a dead holder'); // not ours to delete
  });

  it('backs off exponentially with full jitter: waits grow, are capped, and follow random()', async () => {
    await ns.redis.set(ns.key('k:lock'), 'someone', 'PX', 60_000);
    const waits = async (random: () => number) => {
      const slept: number[] = [];
      await getOrLoadLocked(ns.redis, ns.key('k'), async () => 0, {
        ttlSeconds: 60,
        maxWaitMs: 2_000,
        firstDelayMs: 10,
        random,
        sleep: async (ms) => void slept.push(ms),
      });
      await ns.redis.del(ns.key('k'));
      return slept;
    };
    const full = await waits(() => 0.999999);
    expect(full.slice(0, 6)).toEqual([10, 20, 40, 80, 160, 250]);
    const half = await waits(() => 0.5);
    expect(half.slice(0, 4)).toEqual([5, 10, 20, 40]);
  });

  it.each([Number.NaN, 7, -1])('still gives up after maxWaitMs when random() returns %s instead of a number in [0, 1)', async (broken) => {
    await ns.redis.set(ns.key('k:lock'), 'someone', 'PX', 60_000);
    const slept: number[] = [];
    await getOrLoadLocked(ns.redis, ns.key('k'), async () => 0, {
      ttlSeconds: 60,
      maxWaitMs: 300,
      random: () => broken,
      sleep: async (ms) => void slept.push(ms),
    });
    expect(slept.slice(0, 4)).toEqual([5, 10, 20, 40]); // as if random() had said 0.5
    expect(slept.reduce((a, b) => a + b, 0)).toBe(300);
  });

  it('waits at least 1 ms when random() says 0, and the whole delay when it says 1', async () => {
    await ns.redis.set(ns.key('k:lock'), 'someone', 'PX', 60_000);
    for (const [draw, first] of [[0, [1, 1, 1]], [1, [10, 20, 40]]] as const) {
      const slept: number[] = [];
      await getOrLoadLocked(ns.redis, ns.key('k'), async () => 0, {
        ttlSeconds: 60,
        maxWaitMs: 100,
        random: () => draw,
        sleep: async (ms) => void slept.push(ms),
      });
      await ns.redis.del(ns.key('k'));
      expect(slept.slice(0, 3)).toEqual(first);
    }
  });

  it('answers a hit at once, without waiting, even while someone else holds the lock', async () => {
    await ns.redis.set(ns.key('k'), JSON.stringify('cached'));
    await ns.redis.set(ns.key('k:lock'), 'someone', 'PX', 60_000);
    const sleep = vi.fn(async () => {});
    expect(await getOrLoadLocked(ns.redis, ns.key('k'), async () => 'loaded', { ttlSeconds: 60, sleep })).toBe('cached');
    expect(sleep).not.toHaveBeenCalled();
  });

  it('as the lock holder, looks in Redis once more: a value the previous holder wrote just after our miss is used, not loaded again', async () => {
    await ns.redis.set(ns.key('k'), JSON.stringify('from the previous holder'));
    const loader = vi.fn(async () => 'loaded again');
    expect(await getOrLoadLocked(missOnce(ns.redis), ns.key('k'), loader, { ttlSeconds: 60 })).toBe('from the previous holder');
    expect(loader).not.toHaveBeenCalled();
    expect(await ns.redis.exists(ns.key('k:lock'))).toBe(0);
  });

  it('waits on real timers by default, and gives up after maxWaitMs', async () => {
    await ns.redis.set(ns.key('k:lock'), 'someone', 'PX', 60_000);
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

  it('finds the value a waiter was waiting for without loading it again', async () => {
    await ns.redis.set(ns.key('k:lock'), 'someone', 'PX', 60_000);
    const loader = vi.fn(async () => 'mine');
    const value = await getOrLoadLocked(ns.redis, ns.key('k'), loader, {
      ttlSeconds: 60,
      sleep: async () => void (await ns.redis.set(ns.key('k'), JSON.stringify('theirs'))),
    });
    expect(value).toBe('theirs');
    expect(loader).not.toHaveBeenCalled();
  });

  it('answers from the loader when Redis is down, after one failed read and one failed lock, each told to onCacheError', async () => {
    const onCacheError = vi.fn();
    const value = await getOrLoadLocked(failing(ns.redis), ns.key('k'), async () => 'db', { ttlSeconds: 60, onCacheError });
    expect(value).toBe('db');
    expect(onCacheError).toHaveBeenCalledTimes(2); // not a third, fourth and fifth time for a write and a release that cannot work
  });

  it.each([
    ['lockTtlMs', { lockTtlMs: 0 }],
    ['maxWaitMs', { maxWaitMs: Number.POSITIVE_INFINITY }],
    ['firstDelayMs', { firstDelayMs: 2 ** 31 }],
  ])('refuses a bad %s with a RangeError that names it, before anything is read', async (name, bad) => {
    const loader = vi.fn(async () => 1);
    await expect(getOrLoadLocked(ns.redis, ns.key('k'), loader, { ttlSeconds: 60, ...bad })).rejects.toThrow(RangeError);
    await expect(getOrLoadLocked(ns.redis, ns.key('k'), loader, { ttlSeconds: 60, ...bad })).rejects.toThrow(`getOrLoadLocked: ${name} must be`);
    expect(loader).not.toHaveBeenCalled();
  });

  it('refuses an empty key or a bad TTL, naming getOrLoadLocked', async () => {
    await expect(getOrLoadLocked(ns.redis, '', async () => 1, { ttlSeconds: 60 })).rejects.toThrow(/^getOrLoadLocked: the key/);
    await expect(getOrLoadLocked(ns.redis, ns.key('k'), async () => 1, { ttlSeconds: 0 })).rejects.toThrow(/^getOrLoadLocked: ttlSeconds/);
  });

  onRealRedis('needs separate processes sharing one server')(
    'costs exactly 1 load when 4 real child processes miss the same key at once',
    async () => {
      const key = ns.key('shared');
      const counter = ns.key('loads');
      const child = fileURLToPath(new URL('./lock-child.ts', import.meta.url));
      const processes = Array.from({ length: 4 }, () =>
        spawn(process.execPath, ['--import', 'tsx', child, redisUrl, key, counter], {
          env: { ...process.env },
          stdio: ['pipe', 'pipe', 'inherit'],
        }),
      );
      const lines = processes.map((p) => createInterface({ input: p.stdout! })[Symbol.asyncIterator]());
      try {
        for (const line of lines) expect((await line.next()).value).toBe('ready');
        for (const p of processes) p.stdin!.write('go\n');
        const answers = await Promise.all(lines.map(async (line) => JSON.parse((await line.next()).value as string)[0].value));
        expect(new Set(answers.map((a) => a.loadedBy)).size).toBe(1);
        expect(Number(await ns.redis.get(counter))).toBe(1);
      } finally {
        for (const p of processes) p.kill();
      }
    },
    20_000,
  );
});
