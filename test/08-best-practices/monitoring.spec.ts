import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { hitRate, infoNumber, parseInfo, sampleServerStats, statsBetween } from '@kata/08-best-practices/monitoring.js';
import { expectRefusal } from '../support/refusal.js';
import { infoFixture, onOwnServer, ownServer, type OwnServer } from './helpers.js';

describe('hitRate', () => {
  it('is hits / (hits + misses)', () => {
    expect(hitRate(3, 1)).toBe(0.75);
    expect(hitRate(0, 5)).toBe(0);
    expect(hitRate(7, 0)).toBe(1);
  });

  it('is null with no lookups at all, where the source divides 0 by 0 (no traffic is not a 0 % hit rate)', () => {
    expect(hitRate(0, 0)).toBeNull();
  });

  it('refuses counts that are negative, fractional or not numbers (RangeError)', async () => {
    await expectRefusal(() => hitRate(-1, 0), RangeError, 'hits');
    await expectRefusal(() => hitRate(0, 0.5), RangeError, 'misses');
    await expectRefusal(() => hitRate(Number.NaN, 1), RangeError, 'hits');
  });
});

describe('parseInfo and infoNumber (on INFO captured from a real redis-server 7.0)', () => {
  it('reads field:value lines, drops # headers, blank lines and the \\r of \\r\\n, and keeps values that hold colons whole', () => {
    const info = parseInfo(infoFixture('after-6-reads'));
    expect(info.get('keyspace_hits')).toBe('4');
    expect(info.get('maxmemory_policy')).toBe('noeviction');
    expect(info.get('db0')).toBe('keys=2,expires=0,avg_ttl=0');
    expect(info.get('executable')).toMatch(/^\/.*redis-server$/);
  });

  it('gives a field as a number, and names a field that is missing or not a number (RangeError)', async () => {
    const info = parseInfo(infoFixture('evicting'));
    expect(infoNumber(info, 'evicted_keys')).toBe(3_997);
    await expectRefusal(() => infoNumber(info, 'keyspace_hitz'), RangeError, 'keyspace_hitz');
    await expectRefusal(() => infoNumber(info, 'maxmemory_policy'), RangeError, 'maxmemory_policy');
  });
});

describe('statsBetween (the server\'s figures as a difference over a window)', () => {
  it('counts what moved between two readings, not since the server started', () => {
    const stats = statsBetween(parseInfo(infoFixture('after-6-reads')), parseInfo(infoFixture('evicting')));
    expect(stats).toMatchObject({ keyspaceHits: 9, keyspaceMisses: 91, evictedKeys: 3_997, expiredKeys: 0, commands: 5_102, usedMemory: 2_097_968, reset: false });
    expect(stats.hitRate).toBeCloseTo(9 / 100);
  });

  it('has a hit rate of null for a window with no lookups', () => {
    const fresh = parseInfo(infoFixture('fresh'));
    expect(statsBetween(fresh, fresh)).toMatchObject({ keyspaceHits: 0, keyspaceMisses: 0, hitRate: null, reset: false });
  });

  it('sees a restart (another run_id) and counts from it, instead of reporting negative hits', () => {
    const stats = statsBetween(parseInfo(infoFixture('evicting')), parseInfo(infoFixture('restarted')));
    expect(stats).toMatchObject({ keyspaceHits: 1, keyspaceMisses: 1, evictedKeys: 0, hitRate: 0.5, reset: true });
  });

  it('sees CONFIG RESETSTAT (counters that went down on the same run_id) the same way', () => {
    const stats = statsBetween(parseInfo(infoFixture('after-6-reads')), parseInfo(infoFixture('fresh')));
    expect(stats).toMatchObject({ keyspaceHits: 0, keyspaceMisses: 0, reset: true });
  });
});

describe('sampleServerStats', () => {
  let server: OwnServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('reads INFO before and after the window, here a function whose promise is the window', async () => {
    const readings = [infoFixture('after-6-reads'), infoFixture('evicting')];
    const redis = { info: async () => readings.shift() } as unknown as Redis;
    let readingsDuringTheWindow: number | undefined;
    const stats = await sampleServerStats(redis, async () => void (readingsDuringTheWindow = readings.length));
    expect(readingsDuringTheWindow).toBe(1);
    expect(stats).toMatchObject({ keyspaceHits: 9, keyspaceMisses: 91, reset: false });
  });

  it('refuses a window in ms that Node\'s timers cannot wait for (RangeError), before reading anything', async () => {
    for (const window of [-1, Number.NaN, 2 ** 31]) await expectRefusal(() => sampleServerStats(undefined as never, window), RangeError, 'window');
  });

  onOwnServer('ioredis-mock\'s INFO is a fixed text whose counters never move')(
    'counts exactly the hits and misses made inside the window, and none made before it',
    async () => {
      server = await ownServer();
      const redis = server.redis;
      await redis.set('a', '1');
      await redis.get('a'); // before the window: not counted
      const stats = await sampleServerStats(redis, async () => {
        for (let i = 0; i < 3; i++) await redis.get('a');
        await redis.get('nothing-here');
      });
      expect(stats).toMatchObject({ keyspaceHits: 3, keyspaceMisses: 1, hitRate: 0.75, reset: false });
    },
  );
});
