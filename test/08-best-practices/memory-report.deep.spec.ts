import { describe, expect, it } from 'vitest';
import { memoryReport } from '@kata/08-best-practices/memory-report.js';
import { onRealRedis, useRedis } from '../support/redis.js';
import { infoFixture, scriptedRedis, untouchable } from './helpers.js';

const ns = useRedis();

describe('memoryReport, every corner', () => {
  it('refuses a missing prefix and bad sizes before sending anything', async () => {
    for (const [prefix, options] of [['', {}], [undefined as never, {}], ['p:', { sampleSize: 0 }], ['p:', { top: -1 }], ['p:', { sampleSize: Number.NaN }], ['p:', { top: 2.5 }]] as const) {
      const { redis, touched } = untouchable();
      await expect(memoryReport(redis, prefix, options)).rejects.toThrow(/prefix|sampleSize|top/);
      expect(touched).toEqual([]);
    }
  });

  it('says which size is wrong and what it got, and why it wants a prefix', async () => {
    const { redis } = untouchable();
    await expect(memoryReport(redis, 'p:', { sampleSize: 0 })).rejects.toThrow(/memoryReport: sampleSize .*got 0/);
    await expect(memoryReport(redis, 'p:', { top: 2.5 })).rejects.toThrow(/memoryReport: top .*got 2.5/);
    await expect(memoryReport(redis, '')).rejects.toThrow(/memoryReport: give the prefix/);
  });

  it('escapes the glob characters of the prefix in MATCH (lesson 05\'s escapeGlob)', async () => {
    const { redis, sent } = scriptedRedis({ pages: { '0': ['0', []] }, info: infoFixture('evicting') });
    await memoryReport(redis, 'p*[1]?:');
    expect(sent.find((command) => command[0] === 'scan')).toEqual(['scan', '0', 'MATCH', 'p\\*\\[1\\]\\?:*', 'COUNT', 100]);
  });

  it('lists every sampled key when there are fewer than top, and one when top is 1', async () => {
    const keys = { 'p:small': { bytes: 10, pttl: 5 }, 'p:big': { bytes: 900, pttl: 5 }, 'p:medium': { bytes: 300, pttl: 5 } };
    const { redis } = scriptedRedis({ pages: { '0': ['0', Object.keys(keys)] }, keys, info: infoFixture('evicting') });
    expect((await memoryReport(redis, 'p:')).largest).toHaveLength(3);
    expect(await memoryReport(redis, 'p:', { top: 1, sampleSize: 1 })).toMatchObject({ sampled: 1, largest: [{ key: 'p:small', bytes: 10 }] });
  });

  it('leaves out a key that expired between SCAN and MEMORY USAGE (no bytes, PTTL -2): not the largest, not one without a TTL', async () => {
    const { redis } = scriptedRedis({
      pages: { '0': ['0', ['p:gone', 'p:kept']] },
      keys: { 'p:gone': { bytes: null, pttl: -2 }, 'p:kept': { bytes: 100, pttl: -1 } },
      info: infoFixture('evicting'),
    });
    expect(await memoryReport(redis, 'p:')).toMatchObject({ sampled: 2, largest: [{ key: 'p:kept', bytes: 100 }], withoutTtl: ['p:kept'] });
  });

  it('stops at sampleSize keys within a page and across pages, without asking SCAN for more', async () => {
    const keys = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`p:${i}`, { bytes: 1, pttl: -1 }]));
    const within = scriptedRedis({ pages: { '0': ['9', ['p:0', 'p:1', 'p:2', 'p:3']], '9': ['0', ['p:4']] }, keys, info: '' });
    expect((await memoryReport(within.redis, 'p:', { sampleSize: 3 })).withoutTtl).toEqual(['p:0', 'p:1', 'p:2']);
    expect(within.sent.filter((command) => command[0] === 'scan')).toHaveLength(1);
    const across = scriptedRedis({ pages: { '0': ['9', ['p:0', 'p:1']], '9': ['4', ['p:2', 'p:3']], '4': ['0', ['p:4', 'p:5']] }, keys, info: '' });
    expect((await memoryReport(across.redis, 'p:', { sampleSize: 4 })).sampled).toBe(4);
    expect(across.sent.filter((command) => command[0] === 'scan')).toHaveLength(2);
  });

  it('asks INFO for its memory section only, and reads fields ended by \\r\\n or \\n alike', async () => {
    const crlf = scriptedRedis({ pages: { '0': ['0', []] }, info: infoFixture('evicting') });
    await memoryReport(crlf.redis, 'p:');
    expect(crlf.sent).toContainEqual(['info', 'memory']);
    const lf = scriptedRedis({ pages: { '0': ['0', []] }, info: '# Memory\nused_memory:7\nmaxmemory:9\nmaxmemory_policy:volatile-lfu\n' });
    expect(await memoryReport(lf.redis, 'p:')).toMatchObject({ usedMemory: 7, maxmemory: 9, policy: 'volatile-lfu' });
  });

  it('reports a field the server\'s INFO does not have as NaN (or \'unknown\' for the policy), never a made-up 0', async () => {
    const { redis } = scriptedRedis({ pages: { '0': ['0', []] }, info: '# Memory\r\nused_memory:7\r\n' });
    const report = await memoryReport(redis, 'p:');
    expect(report.usedMemory).toBe(7);
    expect(report.maxmemory).toBeNaN();
    expect(report.policy).toBe('unknown');
  });

  onRealRedis('ioredis-mock has no MEMORY USAGE')('reads only keys under the prefix, even when it holds glob characters', async () => {
    const redis = ns.redis;
    const prefix = ns.key('we*ird[1]?:');
    await redis.set(`${prefix}mine`, 'x');
    await redis.set(ns.key('weXird1x:other'), 'x'.repeat(10_000)); // what `we*ird[1]?:*` unescaped would match
    const report = await memoryReport(redis, prefix);
    expect(report.largest.map((entry) => entry.key)).toEqual([`${prefix}mine`]);
    expect(report.withoutTtl).toEqual([`${prefix}mine`]);
  });

  onRealRedis('ioredis-mock has no MEMORY USAGE')('looks at no more than sampleSize keys of a real keyspace', async () => {
    for (let i = 0; i < 30; i++) await ns.redis.set(ns.key('k', i), 'x');
    const report = await memoryReport(ns.redis, ns.prefix, { sampleSize: 10 });
    expect(report.sampled).toBe(10);
    expect(report.withoutTtl).toHaveLength(10);
    expect(Number.isSafeInteger(report.maxmemory)).toBe(true);
    expect(report.policy).toMatch(/^(noeviction|allkeys-|volatile-)/);
  });

  onRealRedis('ioredis-mock has no MEMORY USAGE')('measures a key of any type (a list, a hash) as well as a string', async () => {
    await ns.redis.rpush(ns.key('list'), 'x'.repeat(20_000));
    await ns.redis.hset(ns.key('hash'), 'f', 'x');
    const report = await memoryReport(ns.redis, ns.prefix);
    expect(report.largest[0]!.key).toBe(ns.key('list'));
    expect(report.withoutTtl.sort()).toEqual([ns.key('hash'), ns.key('list')].sort());
  });
});
