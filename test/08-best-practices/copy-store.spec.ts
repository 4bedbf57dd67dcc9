import type { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { CopyStore, type Copy, type CopyStoreOptions } from '@kata/08-best-practices/copy-store.js';
import { jsonCodec } from '../../provided/codecs.js';
import { useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';
import { clock, switchable } from './outage.js';

const ns = useRedis();
const copy = (value: unknown): Copy => ({ value, freshUntil: 1_700_000_060_000, staleUntil: 1_700_000_660_000 });

/** 3 failures in 1 s open its breaker for 5 s, on a clock the spec moves. */
function store(redis: Redis, overrides: Partial<CopyStoreOptions> = {}) {
  const time = clock();
  const log = vi.fn();
  const s = new CopyStore({ redis, name: 'users', breaker: { failureThreshold: 3, windowMs: 1_000, cooldownMs: 5_000 }, now: time.now, log, ...overrides });
  return { store: s, time, log };
}

describe('CopyStore', () => {
  it('keeps a written copy in Redis, through lesson 03\'s jsonCodec, with the TTL it is given, and reads it back', async () => {
    const { store: s } = store(ns.redis);
    await s.write(ns.key('1'), copy('row 1'), 660);
    expect(jsonCodec.decode((await ns.redis.getBuffer(ns.key('1')))!)).toEqual(copy('row 1'));
    expect(await ns.redis.ttl(ns.key('1'))).toBeGreaterThan(600);
    expect(await s.read(ns.key('1'))).toEqual({ redis: copy('row 1'), last: copy('row 1'), down: false });
    expect(await s.read(ns.key('none'))).toEqual({ down: false });
  });

  it('answers the last copy from memory while Redis is down, and never throws, reading or writing', async () => {
    const r = switchable(ns.redis);
    const { store: s } = store(r.redis);
    await s.write(ns.key('1'), copy('row 1'), 660);
    r.down();
    expect(await s.read(ns.key('1'))).toEqual({ last: copy('row 1'), down: true });
    await s.write(ns.key('2'), copy('row 2'), 660);
    expect(await s.read(ns.key('2'))).toEqual({ last: copy('row 2'), down: true });
    expect(await s.read(ns.key('never written'))).toEqual({ down: true });
  });

  it('keeps in memory what it reads from Redis: a copy another process wrote is answered while Redis is down', async () => {
    await ns.redis.set(ns.key('1'), jsonCodec.encode(copy('row 1')), 'EX', 660);
    const r = switchable(ns.redis);
    const { store: s } = store(r.redis);
    expect((await s.read(ns.key('1'))).redis).toEqual(copy('row 1'));
    r.down();
    expect(await s.read(ns.key('1'))).toEqual({ last: copy('row 1'), down: true });
  });

  it('skips Redis once its breaker opens: 1,000 reads while it is down cost failureThreshold commands', async () => {
    const r = switchable(ns.redis);
    const { store: s } = store(r.redis);
    r.down();
    for (let i = 0; i < 1_000; i++) await s.read(ns.key('1'));
    expect(r.commands).toBe(3);
    expect(s.breakerState).toBe('open');
  });

  it('counts Redis\'s errors, not the calls the open breaker skipped', async () => {
    const r = switchable(ns.redis);
    const { store: s } = store(r.redis);
    r.down();
    for (let i = 0; i < 10; i++) await s.read(ns.key('1'));
    expect((await s.metrics.counts('users')).errors).toBe(3);
  });

  it('logs once when the outage starts and once when Redis answers again, not once per request', async () => {
    const r = switchable(ns.redis);
    const { store: s, time, log } = store(r.redis);
    r.down();
    for (let i = 0; i < 500; i++) await s.read(ns.key('1'));
    time.advance(5_000); // a probe fails: still the same outage
    for (let i = 0; i < 500; i++) await s.read(ns.key('1'));
    expect(log).toHaveBeenCalledTimes(1);
    r.up();
    time.advance(5_000);
    await s.read(ns.key('1')); // the probe succeeds
    expect(s.breakerState).toBe('closed');
    expect(log).toHaveBeenCalledTimes(2);
    expect(log.mock.calls.map(([line]) => String(line))).toEqual([expect.stringMatching(/users/), expect.stringMatching(/users/)]);
  });

  it('refuses a blank name (TypeError) and no room in memory (RangeError), at construction', async () => {
    await expectRefusal(() => new CopyStore({ redis: ns.redis, name: ' ' }), TypeError, 'name');
    await expectRefusal(() => new CopyStore({ redis: ns.redis, name: 'users', localMaxEntries: 0 }), RangeError, 'localMaxEntries');
  });
});
