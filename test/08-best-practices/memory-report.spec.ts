import { describe, expect, it } from 'vitest';
import { memoryReport } from '@kata/08-best-practices/memory-report.js';
import { onRealRedis, useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';
import { infoFixture, scriptedRedis, untouchable } from './helpers.js';

const ns = useRedis();

describe('memoryReport (on a scripted Redis: SCAN, MEMORY USAGE and PTTL in a pipeline, INFO memory)', () => {
  it('lists the largest keys, largest first, no more than top, and the keys without a TTL', async () => {
    const keys = { 'p:small': { bytes: 10, pttl: 5_000 }, 'p:big': { bytes: 900, pttl: -1 }, 'p:medium': { bytes: 300, pttl: 5_000 } };
    const { redis } = scriptedRedis({ pages: { '0': ['0', Object.keys(keys)] }, keys, info: infoFixture('evicting') });
    const report = await memoryReport(redis, 'p:', { top: 2 });
    expect(report.largest).toEqual([{ key: 'p:big', bytes: 900 }, { key: 'p:medium', bytes: 300 }]);
    expect(report.withoutTtl).toEqual(['p:big']);
    expect(report.sampled).toBe(3);
  });

  it('follows SCAN\'s cursor until it comes back to "0", MATCHing only the prefix, and counts a key SCAN returns twice once', async () => {
    const { redis, sent } = scriptedRedis({
      pages: { '0': ['17', ['p:a', 'p:b']], '17': ['5', []], '5': ['0', ['p:b', 'p:c']] },
      keys: { 'p:a': { bytes: 50, pttl: 1_000 }, 'p:b': { bytes: 60, pttl: -1 }, 'p:c': { bytes: 70, pttl: 1_000 } },
      info: infoFixture('evicting'),
    });
    const report = await memoryReport(redis, 'p:');
    const scans = sent.filter((command) => command[0] === 'scan');
    expect(scans.map((command) => command[1])).toEqual(['0', '17', '5']);
    for (const scan of scans) expect(scan.slice(2)).toEqual(expect.arrayContaining(['MATCH', 'p:*']));
    expect(report.sampled).toBe(3);
    expect(report.withoutTtl).toEqual(['p:b']);
  });

  it('looks at no more than sampleSize keys: a sample, not a walk of everything', async () => {
    const keys = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`p:${i}`, { bytes: 1, pttl: -1 }]));
    const { redis } = scriptedRedis({ pages: { '0': ['9', ['p:0', 'p:1', 'p:2', 'p:3']], '9': ['0', ['p:4', 'p:5']] }, keys, info: '' });
    expect((await memoryReport(redis, 'p:', { sampleSize: 3 })).sampled).toBe(3);
  });

  it('reads used_memory, maxmemory and the policy from INFO memory', async () => {
    const { redis } = scriptedRedis({ pages: { '0': ['0', []] }, info: infoFixture('evicting') });
    expect(await memoryReport(redis, 'p:')).toEqual({ usedMemory: 2_097_968, maxmemory: 2_097_152, policy: 'allkeys-lru', sampled: 0, largest: [], withoutTtl: [] });
  });

  it('wants the prefix of your keys (TypeError) and sizes that are positive whole numbers (RangeError), before sending anything', async () => {
    for (const [prefix, options, error, parameter] of [
      ['', {}, TypeError, 'prefix'],
      ['p:', { sampleSize: 0 }, RangeError, 'sampleSize'],
      ['p:', { top: 2.5 }, RangeError, 'top'],
    ] as const) {
      const { redis, touched } = untouchable();
      await expectRefusal(() => memoryReport(redis, prefix, options), error, parameter);
      expect(touched).toEqual([]);
    }
  });
});

describe('memoryReport on a real Redis', () => {
  onRealRedis('ioredis-mock has no MEMORY USAGE')('lists the largest keys under the prefix and the keys without a TTL, and never sends KEYS', async () => {
    const redis = ns.redis;
    await redis.set(ns.key('big'), 'x'.repeat(50_000), 'EX', 600);
    await redis.set(ns.key('medium'), 'x'.repeat(5_000));
    for (let i = 0; i < 20; i++) await redis.set(ns.key('small', i), 'x', 'EX', 600);
    const sent: string[] = [];
    const watched = new Proxy(redis, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          sent.push(property === 'call' ? String(args[0]).toLowerCase() : String(property).toLowerCase());
          return value.apply(target, args);
        };
      },
    });
    const report = await memoryReport(watched, ns.prefix, { top: 2 });
    expect(report.sampled).toBe(22);
    expect(report.largest.map((entry) => entry.key)).toEqual([ns.key('big'), ns.key('medium')]);
    expect(report.largest[0]!.bytes).toBeGreaterThan(50_000);
    expect(report.withoutTtl).toEqual([ns.key('medium')]);
    expect(report.usedMemory).toBeGreaterThan(0);
    expect(sent).not.toContain('keys');
  });
});
