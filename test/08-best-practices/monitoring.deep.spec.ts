import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hitRate, infoNumber, parseInfo, sampleServerStats, statsBetween } from '@kata/08-best-practices/monitoring.js';
import { infoFixture, onOwnServer, ownServer, type OwnServer } from './helpers.js';

describe('hitRate, to the letter', () => {
  it('says which count is wrong and what it got', () => {
    expect(() => hitRate(-1, 0)).toThrow(/hitRate: hits .*got -1/);
    expect(() => hitRate(0, 0.5)).toThrow(/hitRate: misses .*got 0.5/);
  });

  it('refuses counts that are negative, fractional, NaN, infinite or not numbers', () => {
    for (const [hits, misses] of [[-1, 2], [1, -2], [1.5, 1], [Number.NaN, 1], [1, Number.POSITIVE_INFINITY], ['3' as never, 1], [2 ** 53, 0]]) {
      expect(() => hitRate(hits!, misses!), `${hits}, ${misses}`).toThrow(RangeError);
    }
  });
});

describe('parseInfo and infoNumber, every corner', () => {
  it('reads the counters of a fresh server: keyspace_hits and keyspace_misses are 0', () => {
    const info = parseInfo(infoFixture('fresh'));
    expect(info.get('keyspace_hits')).toBe('0');
    expect(info.get('keyspace_misses')).toBe('0');
    expect(info.get('redis_version')).toBe('7.0.15');
  });

  it('leaves no \\r, \\n, # or space in a field name and no line end in a value', () => {
    for (const [field, value] of parseInfo(infoFixture('after-6-reads'))) {
      expect(field).not.toMatch(/[\r\n#\s]/);
      expect(value).not.toMatch(/[\r\n]/);
    }
  });

  it('reads \\n-only text, blank lines and lines that are not fields without throwing', () => {
    const info = parseInfo('# Stats\nkeyspace_hits:10\n\n  keyspace_misses:5  \nnot a field\n:no-name\n');
    expect([...info]).toEqual([['keyspace_hits', '10'], ['keyspace_misses', '5']]);
  });

  it('keeps an empty value as an empty value (config_file:)', () => {
    expect(parseInfo('config_file:\r\n').get('config_file')).toBe('');
  });

  it('refuses what is not text with a TypeError (an ioredis Buffer, undefined), and says what it got', () => {
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
    expect(() => infoNumber(parseInfo('config_file:'), 'config_file')).toThrow(/config_file/);
    expect(() => infoNumber(new Map([['x', 'Infinity']]), 'x')).toThrow(RangeError);
    expect(infoNumber(parseInfo('used_memory: 42\r\n'), 'used_memory')).toBe(42);
  });
});

describe('statsBetween, every corner', () => {
  it('sees a restart by its run_id even when the new server has already counted past the old figures', () => {
    const before = parseInfo(infoFixture('fresh'));
    const after = parseInfo(infoFixture('after-6-reads').replace(/^run_id:.*$/m, 'run_id:0000000000000000000000000000000000000000\r'));
    expect(statsBetween(before, after)).toMatchObject({ keyspaceHits: 4, keyspaceMisses: 2, reset: true });
  });

  it('sees a reset by any one counter that went down, the others unchanged', () => {
    const before = parseInfo(infoFixture('evicting'));
    for (const field of ['keyspace_hits', 'keyspace_misses', 'evicted_keys', 'expired_keys', 'total_commands_processed']) {
      const after = new Map(before);
      after.set(field, String(infoNumber(before, field) - 1));
      expect(statsBetween(before, after).reset, field).toBe(true);
    }
    expect(statsBetween(before, before).reset).toBe(false);
  });

  it('says which counter is missing when a reading is not what INFO returns', () => {
    const before = parseInfo(infoFixture('fresh'));
    expect(() => statsBetween(before, parseInfo('# Stats\r\nkeyspace_hits:3\r\n'))).toThrow(/keyspace_misses|evicted_keys|expired_keys|total_commands_processed|used_memory|run_id/);
  });
});

describe('sampleServerStats, every corner', () => {
  let server: OwnServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    vi.useRealTimers();
  });

  it('refuses a window Node\'s timers cannot wait for, before reading anything, and says what it got', async () => {
    for (const window of [-1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31]) {
      await expect(sampleServerStats(undefined as never, window)).rejects.toThrow(RangeError);
    }
    await expect(sampleServerStats(undefined as never, -1)).rejects.toThrow(/sampleServerStats: the window .*got -1/);
  });

  it('takes the edges of the window: 0 ms, and 2147483647 ms (the longest a Node timer waits)', async () => {
    vi.useFakeTimers();
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
  });

  onOwnServer('ioredis-mock\'s INFO is a fixed text whose counters never move')(
    'takes a window in ms too: nothing read in it, so no hit rate (and the first INFO is the one command counted)',
    async () => {
      server = await ownServer();
      await server.redis.get('before');
      const stats = await sampleServerStats(server.redis, 0);
      expect(stats).toMatchObject({ keyspaceHits: 0, keyspaceMisses: 0, hitRate: null, commands: 1, reset: false });
    },
  );

  onOwnServer('ioredis-mock\'s INFO is a fixed text whose counters never move')(
    'a queue polled with LPOP or BRPOP moves neither keyspace_hits nor keyspace_misses; LLEN and EXISTS do',
    async () => {
      server = await ownServer();
      const redis = server.redis;
      await redis.rpush('queue', 'a', 'b', 'c');
      const popping = await sampleServerStats(redis, async () => {
        await redis.lpop('queue');
        await redis.brpop('queue', 1);
        await redis.lpop('empty');
      });
      expect(popping).toMatchObject({ keyspaceHits: 0, keyspaceMisses: 0, hitRate: null });
      const checking = await sampleServerStats(redis, async () => {
        await redis.llen('queue');
        await redis.exists('empty');
      });
      expect(checking).toMatchObject({ keyspaceHits: 1, keyspaceMisses: 1 });
    },
  );
});
