import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { getOrLoadLocked } from '@kata/10-stampede/locked-load.js';
import { onRealRedis, redisUrl, useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';
import { failing } from '../04-caching-patterns/helpers.js';
import { useConnections } from './connections.js';
import { deferred } from './deferred.js';
import { controlledSleep, recordedSleep } from './sleeps.js';

const ns = useRedis();
const connections = useConnections(ns);

describe('getOrLoadLocked: one load across processes', () => {
  it('costs 1 load when 4 app instances (4 connections) miss the same key at once; all get the value', async () => {
    const clients = await connections(4);
    const gate = deferred<void>();
    const loader = vi.fn(async () => {
      await gate.promise;
      return { id: 7 };
    });
    const { sleep, wakeAll } = controlledSleep();
    const gets = clients.map((c) => getOrLoadLocked(c, ns.key('user', 7), loader, { ttlSeconds: 60, sleep }));
    // Each instance either loads or waits; the naive cache-aside has all four load.
    await vi.waitFor(() => expect(loader.mock.calls.length + sleep.mock.calls.length).toBeGreaterThanOrEqual(4), { timeout: 2_000 });
    expect(loader).toHaveBeenCalledTimes(1);
    gate.resolve();
    await vi.waitFor(async () => expect(await ns.redis.exists(ns.key('user', 7, 'lock'))).toBe(0)); // written and released
    wakeAll();
    expect(await Promise.all(gets)).toEqual(Array(4).fill({ id: 7 }));
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('takes the lock <key>:lock, and releases it after loading, and also when the loader fails (caching nothing)', async () => {
    const loader = vi.fn(async () => {
      expect(await ns.redis.exists(ns.key('ok:lock'))).toBe(1);
      return 1;
    });
    await getOrLoadLocked(ns.redis, ns.key('ok'), loader, { ttlSeconds: 60 });
    expect(loader).toHaveBeenCalledTimes(1);
    expect(await ns.redis.exists(ns.key('ok:lock'))).toBe(0);
    const down = new Error('db');
    await expect(getOrLoadLocked(ns.redis, ns.key('bad'), async () => Promise.reject(down), { ttlSeconds: 60 })).rejects.toBe(down);
    expect(await ns.redis.exists(ns.key('bad:lock'), ns.key('bad'))).toBe(0);
  });

  it('answers a hit at once, without waiting, even while someone else holds the lock', async () => {
    await ns.redis.set(ns.key('k'), JSON.stringify('cached'));
    await ns.redis.set(ns.key('k:lock'), 'someone', 'PX', 60_000);
    const sleep = vi.fn(async () => {});
    expect(await getOrLoadLocked(ns.redis, ns.key('k'), async () => 'loaded', { ttlSeconds: 60, sleep })).toBe('cached');
    expect(sleep).not.toHaveBeenCalled();
  });

  it('as a waiter, finds the value the holder wrote without loading it again', async () => {
    await ns.redis.set(ns.key('k:lock'), 'someone', 'PX', 60_000);
    const loader = vi.fn(async () => 'mine');
    const value = await getOrLoadLocked(ns.redis, ns.key('k'), loader, {
      ttlSeconds: 60,
      sleep: async () => void (await ns.redis.set(ns.key('k'), JSON.stringify('theirs'))),
    });
    expect(value).toBe('theirs');
    expect(loader).not.toHaveBeenCalled();
  });

  it('backs off exponentially with full jitter: round(random() × min(250, firstDelayMs × 2^n)) ms', async () => {
    await ns.redis.set(ns.key('k:lock'), 'someone', 'PX', 60_000);
    const waits = async (random: () => number) => {
      const { slept, sleep } = recordedSleep();
      await getOrLoadLocked(ns.redis, ns.key('k'), async () => 0, { ttlSeconds: 60, maxWaitMs: 2_000, firstDelayMs: 10, random, sleep });
      return slept;
    };
    expect((await waits(() => 0.999999)).slice(0, 6)).toEqual([10, 20, 40, 80, 160, 250]);
    expect((await waits(() => 0.5)).slice(0, 4)).toEqual([5, 10, 20, 40]);
  });

  it('loads by itself once it has waited maxWaitMs for a holder that never writes (it died), and leaves its lock alone', async () => {
    await ns.redis.set(ns.key('k:lock'), 'a dead holder', 'PX', 60_000);
    const { sleep, total } = recordedSleep();
    const loader = vi.fn(async () => 'loaded anyway');
    expect(await getOrLoadLocked(ns.redis, ns.key('k'), loader, { ttlSeconds: 60, maxWaitMs: 500, sleep })).toBe('loaded anyway');
    expect(loader).toHaveBeenCalledTimes(1);
    expect(total()).toBeGreaterThan(250);
    expect(total()).toBeLessThanOrEqual(500);
    expect(await ns.redis.get(ns.key('k:lock'))).toBe('a dead holder'); // not ours to delete
  });

  it('as a holder that stalled past lockTtlMs, does not write its older value over the newer one the next holder wrote', async () => {
    const [slow, fast] = await connections(2);
    const stalled = deferred<string>();
    const loading = vi.fn(() => stalled.promise);
    const first = getOrLoadLocked(slow!, ns.key('k'), loading, { ttlSeconds: 60, lockTtlMs: 1 });
    await vi.waitFor(() => expect(loading).toHaveBeenCalled(), { timeout: 1_000, interval: 1 }); // it holds the lock, and loads...
    await vi.waitFor(async () => expect(await ns.redis.exists(ns.key('k:lock'))).toBe(0), { timeout: 1_000, interval: 2 }); // ... past its lock's 1 ms
    expect(await getOrLoadLocked(fast!, ns.key('k'), async () => 'new', { ttlSeconds: 60 })).toBe('new');
    stalled.resolve('old'); // the first holder wakes up, last
    expect(await first).toBe('old'); // its caller asked before the change: a fair answer
    expect(await ns.redis.get(ns.key('k'))).toBe(JSON.stringify('new'));
  });

  it('answers from the loader when Redis is down, and tells onCacheError', async () => {
    const onCacheError = vi.fn();
    expect(await getOrLoadLocked(failing(ns.redis), ns.key('k'), async () => 'db', { ttlSeconds: 60, onCacheError })).toBe('db');
    expect(onCacheError).toHaveBeenCalled();
  });

  it('refuses an empty key (TypeError), and a bad TTL or wait (RangeError naming it), before anything is read', async () => {
    const loader = vi.fn(async () => 1);
    await expectRefusal(() => getOrLoadLocked(ns.redis, '', loader, { ttlSeconds: 60 }), TypeError, 'key');
    await expectRefusal(() => getOrLoadLocked(ns.redis, ns.key('k'), loader, { ttlSeconds: 0 }), RangeError, 'ttlSeconds');
    await expectRefusal(() => getOrLoadLocked(ns.redis, ns.key('k'), loader, { ttlSeconds: 60, lockTtlMs: 0 }), RangeError, 'lockTtlMs');
    await expectRefusal(() => getOrLoadLocked(ns.redis, ns.key('k'), loader, { ttlSeconds: 60, maxWaitMs: Number.POSITIVE_INFINITY }), RangeError, 'maxWaitMs');
    await expectRefusal(() => getOrLoadLocked(ns.redis, ns.key('k'), loader, { ttlSeconds: 60, firstDelayMs: 2 ** 31 }), RangeError, 'firstDelayMs');
    expect(loader).not.toHaveBeenCalled();
  });

  onRealRedis('needs separate processes sharing one server')(
    'costs exactly 1 load when 4 real child processes miss the same key at once',
    async () => {
      const key = ns.key('shared');
      const counter = ns.key('loads');
      const child = fileURLToPath(new URL('./lock-child.ts', import.meta.url));
      const processes = Array.from({ length: 4 }, () =>
        spawn(process.execPath, ['--import', 'tsx', child, redisUrl, key, counter], { env: { ...process.env }, stdio: ['pipe', 'pipe', 'inherit'] }),
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
