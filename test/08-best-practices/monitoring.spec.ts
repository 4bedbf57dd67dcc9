import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hitRate, infoNumber, parseInfo, sampleServerStats, statsBetween } from '@kata/08-best-practices/monitoring.js';
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

  it('says which count is wrong and what it got', () => {
    expect(() => hitRate(-1, 0)).toThrow(/hitRate: hits .*got -1/);
    expect(() => hitRate(0, 0.5)).toThrow(/hitRate: misses .*got 0.5/);
  });

  it('refuses counts that are negative, fractional, NaN or infinite with a RangeError', () => {
    for (const [hits, misses] of [[-1, 2], [1, -2], [1.5, 1], [Number.NaN, 1], [1, Number.POSITIVE_INFINITY], ['3' as never, 1]]) {
      expect(() => hitRate(hits!, misses!), `${hits}, ${misses}`).toThrow(RangeError);
    }
  });
});

describe('parseInfo (on INFO captured from a real redis-server 7.0)', () => {
  it('reads the counters of a fresh server: keyspace_hits and keyspace_misses are 0', () => {
    const info = parseInfo(infoFixture('fresh'));
    expect(info.get('keyspace_hits')).toBe('0');
    expect(info.get('keyspace_misses')).toBe('0');
    expect(info.get('redis_version')).toBe('7.0.15');
  });

  it('drops the \\r of \\r\\n and the # Section headers, and keeps values that hold colons whole', () => {
    const info = parseInfo(infoFixture('after-6-reads'));
    expect(info.get('keyspace_hits')).toBe('4');
    expect(info.get('maxmemory_policy')).toBe('noeviction');
    expect(info.get('db0')).toBe('keys=2,expires=0,avg_ttl=0');
    expect(info.get('executable')).toMatch(/^\/.*redis-server$/);
    for (const [field, value] of info) {
      expect(field).not.toMatch(/[\r\n#\s]/);
      expect(value).not.toMatch(/[\r\n]/);
    }
  });

  it('reads \\n-only text, blank lines and lines that are not fields without throwing', () => {
    const info = parseInfo('# Stats\nkeyspace_hits:10\n\n  keyspace_misses:5  \nnot a field\n:no-name\n');
    expect([...info]).toEqual([['keyspace_hits', '10'], ['keyspace_misses', '5']]);
  });

  it('refuses what is not text with a TypeError (an ioredis Buffer, undefined)', () => {
    expect(() => parseInfo(undefined as never)).toThrow(TypeError);
    expect(() => parseInfo(Buffer.from('keyspace_hits:1') as never)).toThrow(TypeError);
    expect(() => parseInfo(undefined as never)).toThrow('parseInfo: expected the text INFO returned, got undefined');
  });

  it('infoNumber says whether the field is missing or what text it holds instead of a number', () => {
    const info = parseInfo('maxmemory_policy:noeviction\r\nblank: \r\n');
    expect(() => infoNumber(info, 'keyspace_hits')).toThrow('INFO has no number for keyspace_hits (missing)');
    expect(() => infoNumber(info, 'maxmemory_policy')).toThrow('INFO has no number for maxmemory_policy (got "noeviction")');
    expect(() => infoNumber(info, 'blank')).toThrow(/blank/);
    expect(() => infoNumber(new Map([['spaces', '  ']]), 'spaces')).toThrow(/spaces/); // Number('  ') would be 0
    expect(infoNumber(parseInfo('used_memory: 42\r\n'), 'used_memory')).toBe(42);
  });

  it('infoNumber gives a field as a number, and names a field that is missing or not a number', () => {
    const info = parseInfo(infoFixture('evicting'));
    expect(infoNumber(info, 'evicted_keys')).toBe(3_997);
    expect(() => infoNumber(info, 'keyspace_hitz')).toThrow(/keyspace_hitz/);
    expect(() => infoNumber(info, 'maxmemory_policy')).toThrow(/maxmemory_policy/);
    expect(() => infoNumber(parseInfo('config_file:'), 'config_file')).toThrow(/config_file/);
  });
});

describe('statsBetween (the server\'s figures as a difference over a window)', () => {
  it('counts what moved between two readings, not since the server started', () => {
    const stats = statsBetween(parseInfo(infoFixture('after-6-reads')), parseInfo(infoFixture('evicting')));
    expect(stats).toMatchObject({ keyspaceHits: 9, keyspaceMisses: 91, evictedKeys: 3_997, expiredKeys: 0, commands: 5_102, reset: false });
    expect(stats.hitRate).toBeCloseTo(9 / 100);
    expect(stats.usedMemory).toBe(2_097_968);
  });

  it('has a hit rate of null for a window with no lookups, e.g. a fresh server read twice', () => {
    const fresh = parseInfo(infoFixture('fresh'));
    expect(statsBetween(fresh, fresh)).toMatchObject({ keyspaceHits: 0, keyspaceMisses: 0, hitRate: null, reset: false });
  });

  it('sees a restart in between (another run_id) and counts from it, instead of reporting negative hits', () => {
    const stats = statsBetween(parseInfo(infoFixture('evicting')), parseInfo(infoFixture('restarted')));
    expect(stats).toMatchObject({ keyspaceHits: 1, keyspaceMisses: 1, evictedKeys: 0, reset: true });
    expect(stats.hitRate).toBe(0.5);
  });

  it('sees a restart by its run_id even when the new server has already counted past the old figures', () => {
    const before = parseInfo(infoFixture('fresh'));
    const after = parseInfo(infoFixture('after-6-reads').replace(/^run_id:.*$/m, 'run_id:0000000000000000000000000000000000000000\r'));
    expect(statsBetween(before, after)).toMatchObject({ keyspaceHits: 4, keyspaceMisses: 2, reset: true });
  });

  it('sees CONFIG RESETSTAT (counters that went down on the same run_id) the same way', () => {
    const after = parseInfo(infoFixture('fresh'));
    const before = parseInfo(infoFixture('after-6-reads'));
    expect(after.get('run_id')).toBe(before.get('run_id'));
    expect(statsBetween(before, after)).toMatchObject({ keyspaceHits: 0, keyspaceMisses: 0, reset: true });
  });

  it('says which counter is missing when a reading is not what INFO returns', () => {
    const before = parseInfo(infoFixture('fresh'));
    expect(() => statsBetween(before, parseInfo('# Stats\r\nkeyspace_hits:3\r\n'))).toThrow(/keyspace_misses|evicted_keys|expired_keys|total_commands_processed|used_memory|run_id/);
  });
});

describe('sampleServerStats (a live server)', () => {
  let server: OwnServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('refuses a window Node\'s timers cannot wait for, before reading anything', async () => {
    for (const window of [-1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31]) {
      await expect(sampleServerStats(undefined as never, window)).rejects.toThrow(RangeError);
    }
  });

  it('takes the edges of the window: 0 ms, and 2147483647 ms (the longest a Node timer waits)', async () => {
    vi.useFakeTimers();
    try {
      const redis = { info: async () => infoFixture('fresh') } as unknown as Redis;
      const zero = Promise.allSettled([sampleServerStats(redis, 0)]);
      await vi.advanceTimersByTimeAsync(0);
      expect((await zero)[0]).toMatchObject({ status: 'fulfilled', value: { hitRate: null, reset: false } });
      let done = false;
      const longest = sampleServerStats(redis, 2_147_483_647).then(() => (done = true));
      longest.catch(() => {}); // awaited below, once the clock has moved
      await vi.advanceTimersByTimeAsync(2_147_483_646);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await longest;
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('takes a window that is a function: it reads INFO before and after the promise it returns', async () => {
    const readings = [infoFixture('after-6-reads'), infoFixture('evicting')];
    const redis = { info: async () => readings.shift() } as unknown as Redis;
    let readingsDuringTheWindow: number | undefined;
    const stats = await sampleServerStats(redis, async () => void (readingsDuringTheWindow = readings.length));
    expect(readingsDuringTheWindow).toBe(1); // the window ran between the two readings
    expect(stats).toMatchObject({ keyspaceHits: 9, keyspaceMisses: 91, reset: false });
  });

  it('says what window it got', async () => {
    await expect(sampleServerStats(undefined as never, -1)).rejects.toThrow(/sampleServerStats: the window .*got -1/);
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

  onOwnServer('ioredis-mock\'s INFO is a fixed text whose counters never move')(
    'takes a window in ms too: nothing read in it, so no hit rate (and the first INFO is the one command counted)',
    async () => {
      server = await ownServer();
      await server.redis.get('before');
      const stats = await sampleServerStats(server.redis, 0);
      expect(stats).toMatchObject({ keyspaceHits: 0, keyspaceMisses: 0, hitRate: null, commands: 1, reset: false });
    },
  );
});
