import { ReplyError, type Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FailSafeCache, type FailSafeOptions } from '@kata/08-best-practices/fail-safe.js';
import { CacheMetrics } from '@kata/08-best-practices/metrics.js';
import { onRealRedis, useRedis } from '../support/redis.js';
import { onOwnServer, ownServer, type OwnServer } from './helpers.js';

const ns = useRedis();

/** The test's Redis, with a switch: while down, every command fails as a refused connection does. */
function switchable(redis: Redis) {
  let down = false;
  let commands = 0;
  const sent: string[] = [];
  const proxy = new Proxy(redis, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        commands++;
        sent.push(String(property));
        if (down) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
        return value.apply(target, args);
      };
    },
  });
  return {
    redis: proxy,
    down: () => void (down = true),
    up: () => void (down = false),
    sent,
    get commands() {
      return commands;
    },
  };
}

function clock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

/** A loader that counts its calls, as the database counts queries. */
function database(values: Record<string, unknown> = {}) {
  return vi.fn(async (key: string) => (key in values ? values[key] : `row ${key}`));
}

function cache(overrides: Partial<FailSafeOptions> & { redis: Redis }) {
  const time = clock();
  const log = vi.fn();
  const c = new FailSafeCache({
    name: 'users',
    prefix: ns.prefix,
    freshSeconds: 60,
    staleSeconds: 600,
    breaker: { failureThreshold: 3, windowMs: 1_000, cooldownMs: 5_000 },
    now: time.now,
    log,
    ...overrides,
  });
  return { cache: c, time, log };
}

describe('FailSafeCache on a working Redis', () => {
  it('loads once and then answers from Redis: 100 reads of one key are one query', async () => {
    const { cache: c } = cache({ redis: ns.redis });
    const db = database();
    expect(await c.get('1', () => db('1'))).toEqual({ value: 'row 1', stale: false, from: 'loader' });
    for (let i = 0; i < 99; i++) expect(await c.get('1', () => db('1'))).toEqual({ value: 'row 1', stale: false, from: 'redis' });
    expect(db).toHaveBeenCalledTimes(1);
  });

  it('caches falsy values (0, \'\', false, null) as hits', async () => {
    const { cache: c } = cache({ redis: ns.redis });
    for (const value of [0, '', false, null]) {
      const loader = vi.fn(async () => value);
      await c.get(`falsy:${String(value)}`, loader);
      expect(await c.get(`falsy:${String(value)}`, loader)).toEqual({ value, stale: false, from: 'redis' });
      expect(loader).toHaveBeenCalledTimes(1);
    }
  });

  it('keeps the copy in Redis past its freshness: a logical expiry inside the value, and a TTL of fresh + stale', async () => {
    const { cache: c, time } = cache({ redis: ns.redis });
    await c.get('1', async () => 'row 1');
    const key = `${ns.prefix}1`;
    const pttl = await ns.redis.pttl(key);
    expect(pttl).toBeGreaterThan(600_000);
    expect(pttl).toBeLessThanOrEqual(660_000);
    expect(JSON.parse((await ns.redis.get(key))!)).toMatchObject({ value: 'row 1', freshUntil: time.now() + 60_000 });
  });

  it('loads again once the copy is past freshSeconds, while Redis works', async () => {
    const { cache: c, time } = cache({ redis: ns.redis });
    const db = database();
    await c.get('1', () => db('1'));
    time.advance(60_000);
    expect(await c.get('1', () => db('1'))).toEqual({ value: 'row 1', stale: false, from: 'loader' });
    expect(db).toHaveBeenCalledTimes(2);
  });

  it('serves the stale copy, marked stale, when the loader fails; the loader\'s error only once the copy is too old', async () => {
    const { cache: c, time } = cache({ redis: ns.redis });
    await c.get('1', async () => 'row 1');
    time.advance(61_000);
    const broken = () => Promise.reject(new Error('database is down'));
    expect(await c.get('1', broken)).toEqual({ value: 'row 1', stale: true, from: 'redis' });
    expect((await c.metrics.counts('users')).stale).toBe(1);
    time.advance(599_000); // exactly staleUntil: fresh 60 s + stale 600 s after the load
    await expect(c.get('1', broken)).rejects.toThrow('database is down');
  });

  it('passes the loader\'s error through when there is no copy at all, and caches nothing', async () => {
    const { cache: c } = cache({ redis: ns.redis });
    await expect(c.get('1', () => Promise.reject(new Error('no such table')))).rejects.toThrow('no such table');
    expect(await ns.redis.exists(`${ns.prefix}1`)).toBe(0);
  });

  it('treats garbage under the key (another format, a truncated write) as a miss and replaces it', async () => {
    const { cache: c } = cache({ redis: ns.redis });
    await ns.redis.set(`${ns.prefix}1`, '{"value": "row 1", "freshU');
    await ns.redis.set(`${ns.prefix}2`, '"a plain string"');
    expect(await c.get('1', async () => 'row 1')).toMatchObject({ from: 'loader' });
    expect(await c.get('2', async () => 'row 2')).toMatchObject({ from: 'loader' });
    expect(await c.get('1', async () => 'other')).toEqual({ value: 'row 1', stale: false, from: 'redis' });
  });

  it('refuses a loader that returns undefined (it cannot be stored) with a TypeError', async () => {
    const { cache: c } = cache({ redis: ns.redis });
    await expect(c.get('1', async () => undefined)).rejects.toThrow(TypeError);
  });

  it('refuses a loader that is not a function with a TypeError, even when a stale copy could hide the mistake', async () => {
    const { cache: c, time } = cache({ redis: ns.redis });
    await c.get('1', async () => 'row 1');
    time.advance(61_000);
    await expect(c.get('1', 'row 1' as never)).rejects.toThrow(TypeError);
  });

  onRealRedis('ioredis-mock answers GET on a hash instead of failing with WRONGTYPE')(
    'treats a key of another type under the prefix (WRONGTYPE) as a miss that does not open the breaker, and overwrites it',
    async () => {
      const { cache: c } = cache({ redis: ns.redis });
      await ns.redis.hset(`${ns.prefix}1`, 'field', 'value');
      for (let i = 0; i < 5; i++) await c.get('1', async () => 'row 1').catch(() => {});
      expect(c.breakerState).toBe('closed');
      expect(await c.get('1', async () => 'other')).toEqual({ value: 'row 1', stale: false, from: 'redis' });
    },
  );

  it('refuses a loader that returns a function or a symbol (JSON cannot hold it) with a TypeError, and caches nothing', async () => {
    const { cache: c } = cache({ redis: ns.redis });
    await expect(c.get('1', async () => () => 'row 1')).rejects.toThrow(/FailSafeCache users: the loader of .*1 returned .*return null/);
    await expect(c.get('1', async () => Symbol('row 1'))).rejects.toThrow(TypeError);
    expect(await ns.redis.exists(`${ns.prefix}1`)).toBe(0);
  });

  it('treats JSON under the key that is not a copy (null, no value, no freshUntil or staleUntil) as a miss', async () => {
    const { cache: c, time } = cache({ redis: ns.redis });
    const until = time.now() + 60_000;
    const foreign = ['null', '{"freshUntil":' + until + ',"staleUntil":' + until + '}', '{"value":"old","staleUntil":' + until + '}', '{"value":"old","freshUntil":' + until + '}', '{"value":"old","freshUntil":"soon","staleUntil":' + until + '}'];
    for (const [i, raw] of foreign.entries()) {
      await ns.redis.set(`${ns.prefix}${i}`, raw);
      expect(await c.get(String(i), async () => `row ${i}`), raw).toEqual({ value: `row ${i}`, stale: false, from: 'loader' });
    }
  });

  it('says what is wrong with a key or a loader', async () => {
    const { cache: c } = cache({ redis: ns.redis });
    await expect(c.get('', async () => 'row')).rejects.toThrow(/FailSafeCache.get/);
    await expect(c.get('1', 'row 1' as never)).rejects.toThrow(/FailSafeCache.get\(1\): the loader must be a function, got string/);
  });

  it('does not share a failed load: the next read of the key asks the loader again', async () => {
    const { cache: c } = cache({ redis: ns.redis });
    await expect(c.get('1', () => Promise.reject(new Error('database hiccup')))).rejects.toThrow('database hiccup');
    expect(await c.get('1', async () => 'row 1')).toEqual({ value: 'row 1', stale: false, from: 'loader' });
  });

  it('times each load by its clock, in seconds, and counts a clock that went back as 0 s', async () => {
    const { cache: c, time } = cache({ redis: ns.redis });
    await c.get('1', async () => {
      time.advance(250);
      return 'row 1';
    });
    expect(await c.metrics.counts('users')).toMatchObject({ loads: 1, loadSeconds: 0.25 });
    await c.get('2', async () => {
      time.advance(-1_000);
      return 'row 2';
    });
    expect(await c.metrics.counts('users')).toMatchObject({ loads: 2, loadSeconds: 0.25 });
  });

  it('keeps what it reads from Redis in memory too: a copy another process loaded is served while Redis is down', async () => {
    const other = cache({ redis: ns.redis }).cache;
    await other.get('1', async () => 'row 1');
    const r = switchable(ns.redis);
    const { cache: c } = cache({ redis: r.redis });
    expect(await c.get('1', async () => 'from the database')).toMatchObject({ value: 'row 1', from: 'redis' });
    r.down();
    expect(await c.get('1', async () => 'from the database')).toEqual({ value: 'row 1', stale: false, from: 'memory' });
  });

  it('counts into the CacheMetrics it is given, under its name', async () => {
    const metrics = new CacheMetrics();
    const { cache: c } = cache({ redis: ns.redis, metrics, name: 'products' });
    expect(c.metrics).toBe(metrics);
    await c.get('1', async () => 'row 1');
    expect(await metrics.counts('products')).toMatchObject({ misses: 1, loads: 1 });
  });

  it('frees its load slot when a loader fails: with maxConcurrentLoads 1, the next load still runs', async () => {
    const { cache: c } = cache({ redis: ns.redis, maxConcurrentLoads: 1 });
    await expect(c.get('1', () => Promise.reject(new Error('database hiccup')))).rejects.toThrow('database hiccup');
    await expect(c.get('2', async () => 'row 2')).resolves.toMatchObject({ value: 'row 2' });
  });
});

describe('FailSafeCache: bounded load on the database', () => {
  it('shares one load among 100 concurrent reads of a cold key', async () => {
    const { cache: c } = cache({ redis: ns.redis });
    let finish!: () => void;
    const loader = vi.fn(() => new Promise<string>((resolve) => (finish = () => resolve('row 1'))));
    const reads = Array.from({ length: 100 }, () => c.get('1', loader));
    await vi.waitFor(() => expect(loader).toHaveBeenCalledTimes(1), { timeout: 5_000 });
    finish();
    for (const read of await Promise.all(reads)) expect(read.value).toBe('row 1');
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('runs at most maxConcurrentLoads loads at once over all keys; the rest wait their turn and all are answered', async () => {
    const { cache: c } = cache({ redis: ns.redis, maxConcurrentLoads: 4 });
    let started = 0;
    let running = 0;
    let most = 0;
    const held: Array<() => void> = [];
    const loader = (key: string) => async () => {
      started++;
      most = Math.max(most, ++running);
      await new Promise<void>((resolve) => held.push(resolve));
      running--;
      return `row ${key}`;
    };
    const reads = Array.from({ length: 20 }, (_, i) => c.get(String(i), loader(String(i))));
    await vi.waitFor(() => expect(started).toBe(4), { timeout: 5_000 });
    for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(started).toBe(4); // the other 16 wait for a slot
    for (let released = 0; released < 25; released++) {
      await vi.waitFor(() => expect(held.length).toBeGreaterThan(0), { timeout: 5_000 });
      held.shift()!();
      // Newcomers while others wait: they queue too, and a freed slot is handed over, not counted twice.
      if (released === 0) for (let i = 20; i < 25; i++) reads.push(c.get(String(i), loader(String(i))));
    }
    const values = (await Promise.all(reads)).map((r) => r.value);
    expect(values).toEqual(Array.from({ length: 25 }, (_, i) => `row ${i}`));
    expect(most).toBe(4);
  });

  it('says which option is wrong and what it got', () => {
    const ok = { redis: ns.redis, name: 'users', prefix: 'p:', freshSeconds: 60, staleSeconds: 600 };
    expect(() => new FailSafeCache({ ...ok, freshSeconds: 0 })).toThrow(/FailSafeCache freshSeconds/);
    expect(() => new FailSafeCache({ ...ok, staleSeconds: 0 })).toThrow(/FailSafeCache staleSeconds/);
    expect(() => new FailSafeCache({ ...ok, freshSeconds: 9e12, staleSeconds: 9e12 })).toThrow(/FailSafeCache: freshSeconds \+ staleSeconds .*PX/);
    expect(() => new FailSafeCache({ ...ok, name: '   ' })).toThrow(/FailSafeCache: name is a non-empty string/);
    expect(() => new FailSafeCache({ ...ok, name: undefined as never })).toThrow(/FailSafeCache: name is a non-empty string/);
    expect(() => new FailSafeCache({ ...ok, maxConcurrentLoads: 0 })).toThrow(/FailSafeCache: maxConcurrentLoads .*got 0/);
    expect(() => new FailSafeCache({ ...ok, localMaxEntries: 1.5 })).toThrow(/FailSafeCache: localMaxEntries .*got 1.5/);
  });

  it('refuses options that cannot work, at construction: bad TTLs, no name, no room to load', () => {
    const ok = { redis: ns.redis, name: 'users', prefix: 'p:', freshSeconds: 60, staleSeconds: 600 };
    for (const bad of [
      { freshSeconds: 0 }, { freshSeconds: 1.5 }, { staleSeconds: -1 }, { staleSeconds: Number.NaN }, { freshSeconds: 1e20 },
      { maxConcurrentLoads: 0 }, { maxConcurrentLoads: Number.POSITIVE_INFINITY }, { localMaxEntries: 0 },
      { name: '' }, { breaker: { failureThreshold: 0, windowMs: 1_000, cooldownMs: 1_000 } },
    ]) {
      expect(() => new FailSafeCache({ ...ok, ...bad }), JSON.stringify(bad)).toThrow(/FailSafeCache|CircuitBreaker/);
    }
  });
});

describe('FailSafeCache while Redis is down', () => {
  it('answers warm keys from memory: 1,000 reads cost no query, and Redis is tried only until the breaker opens', async () => {
    const r = switchable(ns.redis);
    const { cache: c } = cache({ redis: r.redis });
    const db = database();
    for (let id = 0; id < 10; id++) await c.get(String(id), () => db(String(id)));
    r.down();
    const before = r.commands;
    for (let i = 0; i < 1_000; i++) {
      expect(await c.get(String(i % 10), () => db(String(i % 10)))).toEqual({ value: `row ${i % 10}`, stale: false, from: 'memory' });
    }
    expect(db).toHaveBeenCalledTimes(10);
    expect(r.commands - before).toBe(3); // failureThreshold, then the breaker skips Redis
    expect(r.sent.slice(-3)).toEqual(['get', 'get', 'get']); // no refill from memory is tried while it is down
    expect(c.breakerState).toBe('open');
  });

  it('opens after 5 failures by default (5 in 10 s, then 5 s of cooldown)', async () => {
    const r = switchable(ns.redis);
    const time = clock();
    const c = new FailSafeCache({ redis: r.redis, name: 'users', prefix: ns.prefix, freshSeconds: 60, staleSeconds: 600, now: time.now, log: () => {} });
    await c.get('1', async () => 'row 1');
    r.down();
    const before = r.commands;
    for (let i = 0; i < 20; i++) await c.get('1', async () => 'row 1');
    expect(r.commands - before).toBe(5);
    time.advance(4_999);
    expect(c.breakerState).toBe('open');
    time.advance(1);
    expect(c.breakerState).toBe('half-open');
  });

  it('serves a copy past its freshness as stale instead of querying the database, until staleSeconds run out', async () => {
    const r = switchable(ns.redis);
    const { cache: c, time } = cache({ redis: r.redis });
    const db = database();
    await c.get('1', () => db('1'));
    r.down();
    time.advance(120_000);
    expect(await c.get('1', () => db('1'))).toEqual({ value: 'row 1', stale: true, from: 'memory' });
    expect(db).toHaveBeenCalledTimes(1);
    time.advance(600_000);
    expect(await c.get('1', () => db('1'))).toEqual({ value: 'row 1', stale: false, from: 'loader' });
    expect(db).toHaveBeenCalledTimes(2);
  });

  it('loads a cold key once for 100 concurrent readers, even with Redis down', async () => {
    const r = switchable(ns.redis);
    r.down();
    const { cache: c } = cache({ redis: r.redis });
    const db = database();
    const reads = await Promise.all(Array.from({ length: 100 }, () => c.get('1', () => db('1'))));
    expect(reads.every((read) => read.value === 'row 1')).toBe(true);
    expect(db).toHaveBeenCalledTimes(1);
  });

  it('logs once when the outage starts and once when Redis is back, not once per request', async () => {
    const r = switchable(ns.redis);
    const { cache: c, time, log } = cache({ redis: r.redis });
    await c.get('1', async () => 'row 1');
    r.down();
    for (let i = 0; i < 500; i++) await c.get('1', async () => 'row 1');
    time.advance(5_000); // a probe fails: still the same outage
    for (let i = 0; i < 500; i++) await c.get('1', async () => 'row 1');
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0]![0])).toMatch(/users/);
    r.up();
    time.advance(5_000);
    await c.get('1', async () => 'row 1');
    expect(c.breakerState).toBe('closed');
    expect(log).toHaveBeenCalledTimes(2);
  });

  it('says in its log lines which cache, that Redis is failing, and that it answers again', async () => {
    const r = switchable(ns.redis);
    const { cache: c, time, log } = cache({ redis: r.redis });
    await c.get('1', async () => 'row 1');
    r.down();
    for (let i = 0; i < 3; i++) await c.get('1', async () => 'row 1');
    r.up();
    time.advance(5_000);
    await c.get('1', async () => 'row 1');
    expect(log.mock.calls.map(([line]) => String(line))).toEqual([
      expect.stringMatching(/cache "users": Redis is failing/),
      expect.stringMatching(/cache "users": Redis answers again/),
    ]);
  });

  it('counts a write Redis refused (OOM) as an error, still answers the value, and counts nothing the open breaker skipped', async () => {
    const refusing = new Proxy(ns.redis, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property === 'set') return () => Promise.reject(new ReplyError('OOM command not allowed when used memory > \'maxmemory\'.'));
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const oom = cache({ redis: refusing }).cache;
    expect(await oom.get('1', async () => 'row 1')).toEqual({ value: 'row 1', stale: false, from: 'loader' });
    expect((await oom.metrics.counts('users')).errors).toBe(1);
    const r = switchable(ns.redis);
    r.down();
    const { cache: c } = cache({ redis: r.redis });
    for (let id = 0; id < 5; id++) await c.get(String(id), async () => `row ${id}`); // GET, SET, GET fail: open; the rest is skipped
    expect((await c.metrics.counts('users')).errors).toBe(3);
    expect(r.commands).toBe(3);
  });

  it('logs with console.warn when no log is given', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const r = switchable(ns.redis);
      const c = new FailSafeCache({ redis: r.redis, name: 'users', prefix: ns.prefix, freshSeconds: 60, staleSeconds: 600, breaker: { failureThreshold: 1, windowMs: 1_000, cooldownMs: 5_000 } });
      r.down();
      await c.get('1', async () => 'row 1');
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/users.*failing/));
    } finally {
      warn.mockRestore();
    }
  });

  it('does not count an answer Redis gave (a ReplyError such as WRONGTYPE) as an outage: the breaker stays closed, the load overwrites', async () => {
    let wrongType = true;
    const redis = new Proxy(ns.redis, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'get' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
        return (...args: unknown[]) => (wrongType ? Promise.reject(new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value')) : value.apply(target, args));
      },
    });
    const { cache: c } = cache({ redis });
    const db = database();
    expect(await c.get('1', () => db('1'))).toEqual({ value: 'row 1', stale: false, from: 'loader' });
    for (let i = 0; i < 4; i++) expect(await c.get('1', () => db('1'))).toEqual({ value: 'row 1', stale: false, from: 'memory' });
    expect(c.breakerState).toBe('closed');
    expect((await c.metrics.counts('users')).errors).toBe(5);
    wrongType = false;
    expect(await c.get('1', () => db('1'))).toEqual({ value: 'row 1', stale: false, from: 'redis' });
  });

  it('counts what happened for 8.3: hits, misses, loads and the Redis errors (not the calls the breaker skipped)', async () => {
    const r = switchable(ns.redis);
    const { cache: c } = cache({ redis: r.redis });
    await c.get('1', async () => 'row 1'); // miss, load
    await c.get('1', async () => 'row 1'); // hit
    r.down();
    for (let i = 0; i < 10; i++) await c.get('1', async () => 'row 1'); // hits from memory; 3 errors open the breaker
    expect(await c.metrics.counts('users')).toMatchObject({ hits: 11, misses: 1, loads: 1, errors: 3, stale: 0 });
  });

  it('refills Redis from memory after it lost the key (a restart, an eviction), without asking the database', async () => {
    const { cache: c } = cache({ redis: ns.redis });
    const db = database();
    await c.get('1', () => db('1'));
    await ns.redis.del(`${ns.prefix}1`);
    expect(await c.get('1', () => db('1'))).toEqual({ value: 'row 1', stale: false, from: 'memory' });
    expect(await c.get('1', () => db('1'))).toEqual({ value: 'row 1', stale: false, from: 'redis' });
    expect(db).toHaveBeenCalledTimes(1);
  });

  it('goes back to Redis after the cooldown: the probe finds it up, the breaker closes, reads are Redis hits again', async () => {
    const r = switchable(ns.redis);
    const { cache: c, time } = cache({ redis: r.redis });
    await c.get('1', async () => 'row 1');
    r.down();
    for (let i = 0; i < 5; i++) await c.get('1', async () => 'row 1');
    r.up();
    time.advance(5_000);
    expect(await c.get('1', async () => 'row 1')).toEqual({ value: 'row 1', stale: false, from: 'redis' });
    expect(c.breakerState).toBe('closed');
  });
});

describe('FailSafeCache against a real redis-server that dies and comes back', () => {
  let server: OwnServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  onOwnServer('it kills and restarts a Redis')('opens the breaker, spares the database while Redis is dead, and recovers after the restart', async () => {
    server = await ownServer();
    const time = clock();
    const log = vi.fn();
    const c = new FailSafeCache({
      redis: server.redis,
      name: 'users',
      prefix: 'users:',
      freshSeconds: 60,
      staleSeconds: 600,
      breaker: { failureThreshold: 3, windowMs: 1_000, cooldownMs: 5_000 },
      now: time.now,
      log,
    });
    const db = database();
    const read = (id: number) => c.get(String(id), () => db(String(id)));
    for (let id = 0; id < 20; id++) await read(id);
    expect(db).toHaveBeenCalledTimes(20);

    await server.kill();
    for (let i = 0; i < 1_000; i++) await read(i % 20);
    expect(c.breakerState).toBe('open');
    expect(db).toHaveBeenCalledTimes(20); // the database saw none of the 1,000 reads
    expect((await c.metrics.counts('users')).errors).toBe(3);

    await server.restart(); // empty: nothing was saved
    await vi.waitFor(() => expect(server!.redis.status).toBe('ready'), { timeout: 5_000 });
    time.advance(5_000);
    expect(await read(0)).toEqual({ value: 'row 0', stale: false, from: 'memory' }); // the probe: a miss in the empty Redis
    expect(c.breakerState).toBe('closed');
    expect(await read(0)).toEqual({ value: 'row 0', stale: false, from: 'redis' }); // refilled from memory
    expect(db).toHaveBeenCalledTimes(20);
    time.advance(60_000); // every copy is past its freshness now
    expect(await read(1)).toMatchObject({ value: 'row 1', from: 'loader' });
    expect(await read(1)).toMatchObject({ value: 'row 1', from: 'redis' });
    expect(log).toHaveBeenCalledTimes(2);
  });
});
