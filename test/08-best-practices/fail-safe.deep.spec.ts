import { ReplyError, type Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FailSafeCache, type FailSafeOptions } from '@kata/08-best-practices/fail-safe.js';
import { CacheMetrics } from '../../provided/cache-metrics.js';
import { jsonCodec } from '../../provided/codecs.js';
import { onRealRedis, useRedis } from '../support/redis.js';
import { onOwnServer, ownServer, type OwnServer } from './helpers.js';
import { clock, database, failing, switchable } from './outage.js';

const ns = useRedis();

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

const broken = () => Promise.reject(new Error('database is down'));

afterEach(() => {
  vi.useRealTimers();
});

describe('FailSafeCache: what it stores', () => {
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
    const ttl = await ns.redis.ttl(key);
    expect(ttl).toBeGreaterThan(600);
    expect(ttl).toBeLessThanOrEqual(660);
    expect(jsonCodec.decode((await ns.redis.getBuffer(key))!)).toEqual({ value: 'row 1', freshUntil: time.now() + 60_000, staleUntil: time.now() + 660_000 });
  });

  it('gives back exactly what the loader returned (a Date, a Map, -0), from Redis and from memory', async () => {
    const value = { at: new Date(0), tags: new Map([['a', 1]]), balance: -0 };
    const { cache: c } = cache({ redis: ns.redis });
    await c.get('1', async () => value);
    const fromRedis = await c.get('1', broken);
    expect(fromRedis).toEqual({ value, stale: false, from: 'redis' });
    expect(Object.is((fromRedis.value as typeof value).balance, -0)).toBe(true);
  });

  it('refuses a loader that returns what cannot be stored (undefined, a function, a symbol, a class instance) with a TypeError, and caches nothing', async () => {
    const { cache: c } = cache({ redis: ns.redis });
    class Row {
      id = 1;
    }
    for (const value of [undefined, () => 'row 1', Symbol('row 1'), new Row()]) {
      await expect(c.get('1', async () => value), String(value)).rejects.toThrow(TypeError);
    }
    expect(await ns.redis.exists(`${ns.prefix}1`)).toBe(0);
    expect(await c.get('1', broken).catch((error: Error) => error.message)).toBe('database is down'); // nothing in memory either
  });

  it('says what is wrong with a key, a loader or what it returned', async () => {
    const { cache: c } = cache({ redis: ns.redis });
    await expect(c.get('', async () => 'row')).rejects.toThrow(/FailSafeCache.get/);
    await expect(c.get('1', 'row 1' as never)).rejects.toThrow(/FailSafeCache.get\(1\): the loader must be a function, got string/);
    await expect(c.get('1', async () => undefined)).rejects.toThrow(/FailSafeCache users: the loader of .*1 returned undefined; return null/);
  });

  it('treats garbage under the key (another format, a truncated write) as a miss and replaces it', async () => {
    const { cache: c } = cache({ redis: ns.redis });
    await ns.redis.set(`${ns.prefix}1`, '{"value": "row 1", "freshU');
    await ns.redis.set(`${ns.prefix}2`, jsonCodec.encode('a plain string'));
    expect(await c.get('1', async () => 'row 1')).toMatchObject({ from: 'loader' });
    expect(await c.get('2', async () => 'row 2')).toMatchObject({ from: 'loader' });
    expect(await c.get('1', async () => 'other')).toEqual({ value: 'row 1', stale: false, from: 'redis' });
  });

  onRealRedis('ioredis-mock answers GET on a hash instead of failing with WRONGTYPE')(
    'treats a key of another type under the prefix (WRONGTYPE) as a miss that does not open the breaker, and overwrites it',
    async () => {
      const { cache: c } = cache({ redis: ns.redis });
      await ns.redis.hset(`${ns.prefix}1`, 'field', 'value');
      for (let i = 0; i < 5; i++) await c.get('1', broken).catch(() => {});
      expect(c.breakerState).toBe('closed');
      await c.get('1', async () => 'row 1');
      expect(await c.get('1', async () => 'other')).toEqual({ value: 'row 1', stale: false, from: 'redis' });
    },
  );
});

describe('FailSafeCache: loads', () => {
  it('passes the loader\'s error through when there is no copy at all, and caches nothing', async () => {
    const { cache: c } = cache({ redis: ns.redis });
    await expect(c.get('1', () => Promise.reject(new Error('no such table')))).rejects.toThrow('no such table');
    expect(await ns.redis.exists(`${ns.prefix}1`)).toBe(0);
  });

  it('refuses a loader that is not a function with a TypeError, even when a stale copy could hide the mistake', async () => {
    const { cache: c, time } = cache({ redis: ns.redis });
    await c.get('1', async () => 'row 1');
    time.advance(61_000);
    await expect(c.get('1', 'row 1' as never)).rejects.toThrow(TypeError);
  });

  it('does not share a failed load: the next read of the key asks the loader again', async () => {
    const { cache: c } = cache({ redis: ns.redis });
    await expect(c.get('1', () => Promise.reject(new Error('database hiccup')))).rejects.toThrow('database hiccup');
    expect(await c.get('1', async () => 'row 1')).toEqual({ value: 'row 1', stale: false, from: 'loader' });
  });

  it('frees its load slot when a loader fails, even one that throws at once: with maxConcurrentLoads 1, the next load still runs', async () => {
    const { cache: c } = cache({ redis: ns.redis, maxConcurrentLoads: 1 });
    await expect(c.get('1', () => Promise.reject(new Error('database hiccup')))).rejects.toThrow('database hiccup');
    const throwsAtOnce = (() => {
      throw new Error('a bug in the loader');
    }) as () => Promise<string>;
    await expect(c.get('2', throwsAtOnce)).rejects.toThrow('a bug in the loader');
    await expect(c.get('3', async () => 'row 3')).resolves.toMatchObject({ value: 'row 3' });
  });

  it('frees its load slot even when timing the load throws (a clock that says NaN): with maxConcurrentLoads 1, the next load still runs', async () => {
    let broken = false;
    const time = clock();
    const c = new FailSafeCache({ redis: ns.redis, name: 'users', prefix: ns.prefix, freshSeconds: 60, staleSeconds: 600, maxConcurrentLoads: 1, now: () => (broken ? Number.NaN : time.now()), log: () => {} });
    await expect(c.get('1', async () => {
      broken = true;
      return 'row 1';
    })).rejects.toThrow(RangeError);
    broken = false;
    const next = c.get('2', async () => 'row 2');
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise((resolve) => (timer = setTimeout(resolve, 1_000, 'still waiting for a slot')));
    expect(await Promise.race([next, stuck])).toMatchObject({ value: 'row 2', from: 'loader' });
    clearTimeout(timer);
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
    await c.get('3', broken).catch(() => {});
    expect((await c.metrics.counts('users')).loads).toBe(3); // a failed load is a load too
  });
});

describe('FailSafeCache: a failed refresh never fails a read that has a value', () => {
  it('serves every reader that shared a failed load the copy it had', async () => {
    const { cache: c, time } = cache({ redis: ns.redis });
    await c.get('1', async () => 'row 1');
    time.advance(61_000);
    let fail!: (error: Error) => void;
    const loader = vi.fn(() => new Promise<string>((_, reject) => (fail = reject)));
    const reads = Array.from({ length: 10 }, () => c.get('1', loader));
    await vi.waitFor(() => expect(loader).toHaveBeenCalled(), { timeout: 1_000 });
    fail(new Error('database is down'));
    for (const read of await Promise.all(reads)) expect(read).toEqual({ value: 'row 1', stale: true, from: 'redis' });
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('serves the copy from memory when Redis has lost the key and the load fails', async () => {
    const { cache: c } = cache({ redis: ns.redis });
    await c.get('1', async () => 'row 1');
    await ns.redis.del(`${ns.prefix}1`); // an eviction, or an invalidation
    expect(await c.get('1', broken)).toEqual({ value: 'row 1', stale: true, from: 'memory' });
  });

  it('serves a stale copy when the value the loader returned cannot be stored', async () => {
    const { cache: c, time } = cache({ redis: ns.redis });
    await c.get('1', async () => 'row 1');
    time.advance(61_000);
    expect(await c.get('1', async () => () => 'a function')).toEqual({ value: 'row 1', stale: true, from: 'redis' });
  });
});

describe('FailSafeCache: an invalidation wins over the copy in memory', () => {
  it('never writes its copy in memory back to a Redis that lost the key: another process reads the new row, not the old one', async () => {
    const { cache: a } = cache({ redis: ns.redis });
    const { cache: b } = cache({ redis: ns.redis });
    await a.get('1', async () => 'row 1');
    await ns.redis.del(`${ns.prefix}1`); // a write elsewhere, then invalidate-on-write
    const db = database({ '1': 'row 1, updated' });
    expect(await a.get('1', () => db('1'))).toEqual({ value: 'row 1, updated', stale: false, from: 'loader' });
    expect(await b.get('1', () => db('1'))).toEqual({ value: 'row 1, updated', stale: false, from: 'redis' });
    expect(db).toHaveBeenCalledTimes(1);
  });

  it('does not serve its copy in memory as fresh while Redis answers without the key', async () => {
    const { cache: c } = cache({ redis: ns.redis });
    await c.get('1', async () => 'row 1');
    await ns.redis.del(`${ns.prefix}1`);
    expect(await c.get('1', async () => 'row 1, updated')).toMatchObject({ value: 'row 1, updated', from: 'loader' });
    expect(jsonCodec.decode((await ns.redis.getBuffer(`${ns.prefix}1`))!)).toMatchObject({ value: 'row 1, updated' });
  });
});

describe('FailSafeCache while Redis is down, every corner', () => {
  it('tries Redis only until the breaker opens, and tries no write while it is open', async () => {
    const r = switchable(ns.redis);
    const { cache: c } = cache({ redis: r.redis });
    for (let id = 0; id < 10; id++) await c.get(String(id), async () => `row ${id}`);
    r.down();
    const before = r.commands;
    for (let i = 0; i < 1_000; i++) await c.get(String(i % 10), async () => 'from the database');
    expect(r.commands - before).toBe(3);
    expect(r.sent.slice(-3)).toEqual(['getBuffer', 'getBuffer', 'getBuffer']);
    expect(c.breakerState).toBe('open');
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

  it('runs at most maxConcurrentLoads loads over all keys; newcomers queue too, and all are answered', async () => {
    const { cache: c } = cache({ redis: ns.redis, maxConcurrentLoads: 4 });
    let running = 0;
    let most = 0;
    const loader = (key: string) => async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      return `row ${key}`;
    };
    const reads = Array.from({ length: 20 }, (_, i) => c.get(String(i), loader(String(i))));
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 20; i < 25; i++) reads.push(c.get(String(i), loader(String(i))));
    expect((await Promise.all(reads)).map((r) => r.value)).toEqual(Array.from({ length: 25 }, (_, i) => `row ${i}`));
    expect(most).toBe(4);
  });

  it('opens after 5 failures by default (5 in 10 s, then 5 s of cooldown), and loads 8 at a time by default', async () => {
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
    let running = 0;
    let most = 0;
    await Promise.all(Array.from({ length: 20 }, (_, i) => c.get(`cold:${i}`, async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      return i;
    })));
    expect(most).toBe(8);
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
    expect(String(log.mock.calls[0]![0])).toMatch(/cache "users": Redis is failing/);
    r.up();
    time.advance(5_000);
    await c.get('1', async () => 'row 1');
    expect(c.breakerState).toBe('closed');
    expect(log).toHaveBeenCalledTimes(2);
    expect(String(log.mock.calls[1]![0])).toMatch(/cache "users": Redis answers again/);
  });

  it('counts a write Redis refused (OOM) as an error, still answers the value, and counts nothing the open breaker skipped', async () => {
    const oom = cache({ redis: failing(ns.redis, 'set', () => new ReplyError("OOM command not allowed when used memory > 'maxmemory'.")) }).cache;
    expect(await oom.get('1', async () => 'row 1')).toEqual({ value: 'row 1', stale: false, from: 'loader' });
    expect((await oom.metrics.counts('users')).errors).toBe(1);
    expect(oom.breakerState).toBe('closed');
    const r = switchable(ns.redis);
    r.down();
    const { cache: c } = cache({ redis: r.redis });
    for (let id = 0; id < 5; id++) await c.get(String(id), async () => `row ${id}`); // GET, SET, GET fail: open; the rest is skipped
    expect((await c.metrics.counts('users')).errors).toBe(3);
    expect(r.commands).toBe(3);
  });

  it('does not count an answer Redis gave (a ReplyError such as WRONGTYPE) as an outage: the breaker stays closed, and the load answers', async () => {
    const { cache: c } = cache({ redis: failing(ns.redis, 'getBuffer', () => new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value')) });
    const db = database();
    for (let i = 0; i < 5; i++) expect(await c.get('1', () => db('1'))).toMatchObject({ value: 'row 1', stale: false });
    expect(c.breakerState).toBe('closed');
    expect((await c.metrics.counts('users')).errors).toBe(5);
  });

  it('counts what happened for 8.3: hits, misses, loads, stale reads and the Redis errors (not the calls the breaker skipped)', async () => {
    const r = switchable(ns.redis);
    const { cache: c, time } = cache({ redis: r.redis });
    await c.get('1', async () => 'row 1'); // miss, load
    await c.get('1', async () => 'row 1'); // hit
    r.down();
    for (let i = 0; i < 10; i++) await c.get('1', async () => 'row 1'); // hits from memory; 3 errors open the breaker
    time.advance(61_000);
    await c.get('1', async () => 'row 1'); // the probe fails (an error); a miss, served stale
    expect(await c.metrics.counts('users')).toMatchObject({ hits: 11, misses: 2, loads: 1, errors: 4, stale: 1 });
  });

  it('counts into the CacheMetrics it is given, under its name', async () => {
    const metrics = new CacheMetrics();
    const { cache: c } = cache({ redis: ns.redis, metrics, name: 'products' });
    expect(c.metrics).toBe(metrics);
    await c.get('1', async () => 'row 1');
    expect(await metrics.counts('products')).toMatchObject({ misses: 1, loads: 1 });
  });

  it('keeps what it reads from Redis in memory too: a copy another process loaded is served while Redis is down', async () => {
    await cache({ redis: ns.redis }).cache.get('1', async () => 'row 1');
    const r = switchable(ns.redis);
    const { cache: c } = cache({ redis: r.redis });
    expect(await c.get('1', async () => 'from the database')).toMatchObject({ value: 'row 1', from: 'redis' });
    r.down();
    expect(await c.get('1', async () => 'from the database')).toEqual({ value: 'row 1', stale: false, from: 'memory' });
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

  it('holds no timer, up or down: nothing to close, nothing that keeps a process alive', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'Date'] });
    const r = switchable(ns.redis);
    const c = new FailSafeCache({ redis: r.redis, name: 'users', prefix: ns.prefix, freshSeconds: 60, staleSeconds: 600, log: () => {} });
    await c.get('1', async () => 'row 1');
    r.down();
    for (let i = 0; i < 10; i++) await c.get('1', async () => 'row 1');
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('FailSafeCache: its options', () => {
  it('says which option is wrong and what it got', () => {
    const ok = { redis: ns.redis, name: 'users', prefix: 'p:', freshSeconds: 60, staleSeconds: 600 };
    expect(() => new FailSafeCache({ ...ok, freshSeconds: 0 })).toThrow(/FailSafeCache freshSeconds/);
    expect(() => new FailSafeCache({ ...ok, staleSeconds: 0 })).toThrow(/FailSafeCache staleSeconds/);
    expect(() => new FailSafeCache({ ...ok, freshSeconds: 9e12, staleSeconds: 9e12 })).toThrow(/FailSafeCache freshSeconds \+ staleSeconds/);
    expect(() => new FailSafeCache({ ...ok, name: '   ' })).toThrow(/name is a non-empty string/);
    expect(() => new FailSafeCache({ ...ok, maxConcurrentLoads: 0 })).toThrow(/FailSafeCache: maxConcurrentLoads .*got 0/);
    expect(() => new FailSafeCache({ ...ok, localMaxEntries: 1.5 })).toThrow(/localMaxEntries .*got 1.5/);
  });

  it('refuses every option that cannot work, at construction: bad TTLs, no name, no room to load or to remember', () => {
    const ok = { redis: ns.redis, name: 'users', prefix: 'p:', freshSeconds: 60, staleSeconds: 600 };
    for (const bad of [
      { freshSeconds: 0 }, { freshSeconds: 1.5 }, { staleSeconds: -1 }, { staleSeconds: Number.NaN }, { freshSeconds: 1e20 },
      { maxConcurrentLoads: 0 }, { maxConcurrentLoads: Number.POSITIVE_INFINITY }, { localMaxEntries: 0 },
      { name: '' }, { breaker: { failureThreshold: 0, windowMs: 1_000, cooldownMs: 1_000 } },
    ]) {
      expect(() => new FailSafeCache({ ...ok, ...bad }), JSON.stringify(bad)).toThrow(/FailSafeCache|CopyStore|CircuitBreaker/);
    }
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
    // The probe: Redis answers, without the key. An empty Redis and an invalidation look alike, so the row is loaded.
    expect(await read(0)).toEqual({ value: 'row 0', stale: false, from: 'loader' });
    expect(c.breakerState).toBe('closed');
    expect(await read(0)).toEqual({ value: 'row 0', stale: false, from: 'redis' });
    expect(db).toHaveBeenCalledTimes(21);
    expect(log).toHaveBeenCalledTimes(2);
  });
});
