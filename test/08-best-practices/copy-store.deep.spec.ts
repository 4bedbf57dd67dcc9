import { ReplyError, type Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CopyStore, type Copy, type CopyStoreOptions } from '@kata/08-best-practices/copy-store.js';
import { CacheMetrics } from '../../provided/cache-metrics.js';
import { jsonCodec } from '../../provided/codecs.js';
import { onRealRedis, useRedis } from '../support/redis.js';
import { clock, failing, switchable } from './outage.js';

const ns = useRedis();
const copy = (value: unknown): Copy => ({ value, freshUntil: 1_700_000_060_000, staleUntil: 1_700_000_660_000 });

function store(redis: Redis, overrides: Partial<CopyStoreOptions> = {}) {
  const time = clock();
  const log = vi.fn();
  const s = new CopyStore({ redis, name: 'users', breaker: { failureThreshold: 3, windowMs: 1_000, cooldownMs: 5_000 }, now: time.now, log, ...overrides });
  return { store: s, time, log };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('CopyStore: what is under the key is not always a copy', () => {
  it('reads garbage, and JSON that is not a copy, as no copy (not an outage, not an error), which the next write replaces', async () => {
    const { store: s } = store(ns.redis);
    const until = 1_700_000_060_000;
    const garbage = ['{"value": "row 1", "freshU', '"a plain string"', '42', JSON.stringify(copy('plain JSON, not the codec\'s'))];
    const notACopy = [42, null, 'a string', true, { freshUntil: until, staleUntil: until }, { value: 'old', staleUntil: until }, { value: 'old', freshUntil: until }, { value: 'old', freshUntil: 'soon', staleUntil: until }, new Map([['value', 1]])];
    for (const raw of [...garbage, ...notACopy.map((value) => jsonCodec.encode(value))]) {
      await ns.redis.set(ns.key('1'), raw);
      expect(await s.read(ns.key('1')), String(raw)).toEqual({ down: false });
    }
    expect((await s.metrics.counts('users')).errors).toBe(0);
    expect(s.breakerState).toBe('closed');
    await s.write(ns.key('1'), copy('row 1'), 60);
    expect((await s.read(ns.key('1'))).redis).toEqual(copy('row 1'));
  });

  it('answers the memory copy as `last` when Redis holds garbage under the key, and Redis\'s own copy when it has one', async () => {
    const { store: s } = store(ns.redis);
    await s.write(ns.key('1'), copy('mine'), 60);
    await ns.redis.set(ns.key('1'), 'garbage');
    expect(await s.read(ns.key('1'))).toEqual({ last: copy('mine'), down: false });
    await ns.redis.set(ns.key('1'), jsonCodec.encode(copy('theirs')));
    expect(await s.read(ns.key('1'))).toEqual({ redis: copy('theirs'), last: copy('theirs'), down: false });
  });

  onRealRedis('ioredis-mock answers GET on a hash instead of failing with WRONGTYPE')(
    'reads a key of another type (WRONGTYPE) as no copy, Redis up: the breaker stays closed, and a write replaces the key',
    async () => {
      const { store: s } = store(ns.redis);
      await ns.redis.hset(ns.key('1'), 'field', 'value');
      for (let i = 0; i < 5; i++) expect(await s.read(ns.key('1'))).toEqual({ down: false });
      expect(s.breakerState).toBe('closed');
      await s.write(ns.key('1'), copy('row 1'), 60);
      expect((await s.read(ns.key('1'))).redis).toEqual(copy('row 1'));
    },
  );

  it('does not count an answer Redis gave (a ReplyError: WRONGTYPE, OOM) as an outage: counted as an error, the breaker stays closed', async () => {
    const wrongType = failing(ns.redis, 'getBuffer', () => new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value'));
    const { store: s } = store(wrongType);
    for (let i = 0; i < 5; i++) expect(await s.read(ns.key('1'))).toEqual({ down: false });
    const oom = failing(ns.redis, 'set', () => new ReplyError("OOM command not allowed when used memory > 'maxmemory'."));
    const { store: full } = store(oom, { metrics: s.metrics });
    for (let i = 0; i < 5; i++) await full.write(ns.key('2'), copy('row 2'), 60);
    expect(s.breakerState).toBe('closed');
    expect(full.breakerState).toBe('closed');
    expect((await s.metrics.counts('users')).errors).toBe(10);
    expect((await full.read(ns.key('2'))).last).toEqual(copy('row 2')); // kept in memory all the same
  });
});

describe('CopyStore: writes', () => {
  it('gives back exactly what was written: -0, NaN, a Date, a Map, a nested undefined', async () => {
    const { store: s } = store(ns.redis);
    const value = { balance: -0, ratio: Number.NaN, at: new Date(0), tags: new Map([['a', 1]]), gone: undefined };
    await s.write(ns.key('1'), copy(value), 60);
    const read = (await s.read(ns.key('1'))).redis!;
    expect(read.value).toEqual(value);
    expect(Object.is((read.value as typeof value).balance, -0)).toBe(true);
  });

  it('refuses what would not come back as it went in with a TypeError, before anything is kept in memory or in Redis', async () => {
    const { store: s } = store(ns.redis);
    class Row {
      id = 1;
    }
    const ownProto = JSON.parse('{"__proto__": {"admin": true}}') as unknown;
    for (const value of [() => 1, Symbol('s'), new Row(), Buffer.from('x'), new Date(Number.NaN), ownProto]) {
      await expect(s.write(ns.key('1'), copy(value), 60), String(value)).rejects.toThrow(TypeError);
    }
    expect(await s.read(ns.key('1'))).toEqual({ down: false });
    expect(await ns.redis.exists(ns.key('1'))).toBe(0);
  });

  it('says which cache and which key it could not store, and keeps the codec\'s own error as the cause', async () => {
    const { store: s } = store(ns.redis);
    await expect(s.write(ns.key('1'), copy(() => 1), 60)).rejects.toThrow(new RegExp(`cache "users" cannot store the value of ${ns.key('1')}`));
    const error = await s.write(ns.key('1'), copy(() => 1), 60).catch((e: unknown) => e);
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });

  it('keeps the copy in memory when Redis refuses the write, and counts the error', async () => {
    const r = switchable(ns.redis);
    const { store: s } = store(r.redis);
    r.down();
    await s.write(ns.key('1'), copy('row 1'), 60);
    expect((await s.read(ns.key('1'))).last).toEqual(copy('row 1'));
    expect((await s.metrics.counts('users')).errors).toBe(2); // the SET and the GET
  });
});

describe('CopyStore: its defaults and its bounds', () => {
  it('opens after 5 failures by default (5 in 10 s, then 5 s of cooldown)', async () => {
    const r = switchable(ns.redis);
    const time = clock();
    const s = new CopyStore({ redis: r.redis, name: 'users', now: time.now, log: () => {} });
    r.down();
    for (let i = 0; i < 20; i++) await s.read(ns.key('1'));
    expect(r.commands).toBe(5);
    time.advance(4_999);
    expect(s.breakerState).toBe('open');
    time.advance(1);
    expect(s.breakerState).toBe('half-open');
  });

  it('logs with console.warn when no log is given, naming the cache', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const r = switchable(ns.redis);
      const s = new CopyStore({ redis: r.redis, name: 'users', breaker: { failureThreshold: 1, windowMs: 1_000, cooldownMs: 5_000 } });
      r.down();
      await s.read(ns.key('1'));
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/users.*failing/));
    } finally {
      warn.mockRestore();
    }
  });

  it('says in its log lines which cache, that Redis is failing, and that it answers again', async () => {
    const r = switchable(ns.redis);
    const { store: s, time, log } = store(r.redis);
    r.down();
    for (let i = 0; i < 3; i++) await s.read(ns.key('1'));
    r.up();
    time.advance(5_000);
    await s.read(ns.key('1'));
    expect(log.mock.calls.map(([line]) => String(line))).toEqual([
      expect.stringMatching(/cache "users": Redis is failing/),
      expect.stringMatching(/cache "users": Redis answers again/),
    ]);
  });

  it('counts into the CacheMetrics it is given, under its name', async () => {
    const metrics = new CacheMetrics();
    const r = switchable(ns.redis);
    const { store: s } = store(r.redis, { metrics, name: 'products' });
    expect(s.metrics).toBe(metrics);
    r.down();
    await s.read(ns.key('1'));
    expect((await metrics.counts('products')).errors).toBe(1);
  });

  it('takes localMaxEntries 1: one copy in memory, the last one written or read', async () => {
    const r = switchable(ns.redis);
    const { store: s } = store(r.redis, { localMaxEntries: 1 });
    await s.write(ns.key('1'), copy('row 1'), 60);
    await s.write(ns.key('2'), copy('row 2'), 60);
    r.down();
    expect((await s.read(ns.key('1'))).last).toBeUndefined();
    expect((await s.read(ns.key('2'))).last).toEqual(copy('row 2'));
  });

  it('keeps at most localMaxEntries copies in memory, the least recently used going first', async () => {
    const r = switchable(ns.redis);
    const { store: s } = store(r.redis, { localMaxEntries: 2 });
    for (const id of ['1', '2', '3']) await s.write(ns.key(id), copy(`row ${id}`), 60);
    r.down();
    expect((await s.read(ns.key('1'))).last).toBeUndefined();
    expect((await s.read(ns.key('3'))).last).toEqual(copy('row 3'));
  });

  it('says which option is wrong and what it got', () => {
    expect(() => new CopyStore({ redis: ns.redis, name: '   ' })).toThrow(/CopyStore: name is a non-empty string/);
    expect(() => new CopyStore({ redis: ns.redis, name: undefined as never })).toThrow(/CopyStore: name is a non-empty string/);
    expect(() => new CopyStore({ redis: ns.redis, name: 'users', localMaxEntries: 1.5 })).toThrow(/CopyStore: localMaxEntries .*got 1.5/);
    expect(() => new CopyStore({ redis: ns.redis, name: 'users', breaker: { failureThreshold: 0, windowMs: 1, cooldownMs: 1 } })).toThrow(/failureThreshold/);
  });

  it('holds no timer through a whole outage: nothing to close, nothing that keeps a process alive', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'setImmediate', 'Date'] });
    const r = switchable(ns.redis);
    const s = new CopyStore({ redis: r.redis, name: 'users', breaker: { failureThreshold: 1, windowMs: 1_000, cooldownMs: 5_000 }, log: () => {} });
    r.down();
    await s.read(ns.key('1'));
    await s.write(ns.key('1'), copy('row 1'), 60);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps working when its log throws: the breaker still opens and closes, and each lost line counts as an error', async () => {
    const r = switchable(ns.redis);
    const { store: s, time } = store(r.redis, { log: () => { throw new Error('the logger is broken'); } });
    await s.write(ns.key('1'), copy('row 1'), 60);
    r.down();
    for (let i = 0; i < 10; i++) expect(await s.read(ns.key('1'))).toEqual({ last: copy('row 1'), down: true });
    expect(s.breakerState).toBe('open');
    r.up();
    time.advance(5_000);
    expect(await s.read(ns.key('1'))).toEqual({ redis: copy('row 1'), last: copy('row 1'), down: false }); // the probe
    expect(s.breakerState).toBe('closed');
    expect((await s.metrics.counts('users')).errors).toBe(3 + 2); // three refused GETs, two lost log lines
  });
});
