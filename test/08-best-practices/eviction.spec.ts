import { afterEach, describe, expect, it } from 'vitest';
import { choosePolicy, configureEviction, evictionPolicies, memoryReport } from '@kata/08-best-practices/eviction.js';
import { onRealRedis, useRedis } from '../support/redis.js';
import { infoFixture, onOwnServer, ownServer, scriptedRedis, untouchable, type OwnServer } from './helpers.js';

const ns = useRedis();
const KB = 'x'.repeat(1_000);

let server: OwnServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server of our own, bounded at what it uses now plus `extra` bytes. */
async function boundedServer(policy: (typeof evictionPolicies)[number], extra = 1_000_000): Promise<{ redis: OwnServer['redis']; maxmemory: number }> {
  server = await ownServer();
  const used = Number(/^used_memory:(\d+)/m.exec(await server.redis.info('memory'))![1]);
  const maxmemory = used + extra;
  await configureEviction(server.redis, { maxmemory, policy });
  return { redis: server.redis, maxmemory };
}

async function serverNumber(redis: OwnServer['redis'], section: string, field: string): Promise<number> {
  return Number(new RegExp(`^${field}:(\\d+)`, 'm').exec(await redis.info(section))![1]);
}

describe('choosePolicy (which keys may Redis drop?)', () => {
  it('evicts any key of a pure cache: allkeys-lru, or allkeys-lfu when a few keys are read far more often', () => {
    expect(choosePolicy('cache')).toBe('allkeys-lru');
    expect(choosePolicy('cache', 'recency')).toBe('allkeys-lru');
    expect(choosePolicy('cache', 'frequency')).toBe('allkeys-lfu');
  });

  it('evicts only keys with a TTL when the cache shares Redis with data that must stay (sessions, locks)', () => {
    expect(choosePolicy('cache-beside-data')).toBe('volatile-lru');
    expect(choosePolicy('cache-beside-data', 'frequency')).toBe('volatile-lfu');
  });

  it('never evicts a queue: a dropped entry is a lost write, so writes must fail instead (noeviction)', () => {
    expect(choosePolicy('queue')).toBe('noeviction');
    expect(choosePolicy('queue', 'frequency')).toBe('noeviction');
  });

  it('refuses a use or an access pattern it does not know, with a RangeError', () => {
    expect(() => choosePolicy('sessions' as never)).toThrow(RangeError);
    expect(() => choosePolicy('cache', 'random' as never)).toThrow(RangeError);
  });

  it('says which argument it does not know and what it got', () => {
    expect(() => choosePolicy('sessions' as never)).toThrow(/choosePolicy: use is 'cache', 'cache-beside-data' or 'queue', got sessions/);
    expect(() => choosePolicy('queue', 'random' as never)).toThrow(/choosePolicy: access is 'recency' or 'frequency', got random/);
  });
});

describe('configureEviction (input)', () => {
  it('refuses a maxmemory that is not a positive whole number of bytes, before sending anything', async () => {
    for (const maxmemory of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '100mb' as never]) {
      const { redis, touched } = untouchable();
      await expect(configureEviction(redis, { maxmemory, policy: 'allkeys-lru' }), String(maxmemory)).rejects.toThrow(RangeError);
      expect(touched).toEqual([]);
    }
  });

  it('refuses a policy Redis does not have (a typo would otherwise leave the server unbounded)', async () => {
    for (const policy of ['allkeys-LRU', 'lru', 'volatile_lru', ''] as never[]) {
      const { redis, touched } = untouchable();
      await expect(configureEviction(redis, { maxmemory: 1_000_000, policy }), String(policy)).rejects.toThrow(RangeError);
      expect(touched).toEqual([]);
    }
  });

  it('refuses maxmemory-samples outside 1 to 64', async () => {
    for (const samples of [0, 65, 2.5, Number.NaN]) {
      const { redis, touched } = untouchable();
      await expect(configureEviction(redis, { maxmemory: 1_000_000, policy: 'allkeys-lfu', samples }), String(samples)).rejects.toThrow(RangeError);
      expect(touched).toEqual([]);
    }
  });
});

describe('configureEviction (on a scripted Redis, every backend)', () => {
  it('sends the bound, the policy and the samples in one CONFIG SET (atomic: all apply or none) and returns what CONFIG GET says', async () => {
    const { redis, sent, config } = scriptedRedis({});
    const settings = await configureEviction(redis, { maxmemory: 1_000_000, policy: 'allkeys-lfu', samples: 10 });
    expect(sent.filter((command) => String(command[2]).toUpperCase() === 'SET')).toEqual([
      ['call', 'CONFIG', 'SET', 'maxmemory', '1000000', 'maxmemory-policy', 'allkeys-lfu', 'maxmemory-samples', '10'],
    ]);
    expect(settings).toEqual({ maxmemory: 1_000_000, policy: 'allkeys-lfu', samples: 10 });
    expect(config.get('maxmemory-policy')).toBe('allkeys-lfu');
  });

  it('sends no maxmemory-samples when none is given, and reports the server\'s own', async () => {
    const { redis, sent } = scriptedRedis({});
    expect(await configureEviction(redis, { maxmemory: 2_000, policy: 'volatile-ttl' })).toEqual({ maxmemory: 2_000, policy: 'volatile-ttl', samples: 5 });
    expect(sent.flat()).not.toContain('maxmemory-samples');
  });

  it('takes the edges of each range: 1 byte, and 1 or 64 samples', async () => {
    for (const samples of [1, 64]) {
      const { redis } = scriptedRedis({});
      await expect(configureEviction(redis, { maxmemory: 1, policy: 'noeviction', samples })).resolves.toEqual({ maxmemory: 1, policy: 'noeviction', samples });
    }
  });

  it('says which setting is wrong and what it got', async () => {
    const { redis } = untouchable();
    await expect(configureEviction(redis, { maxmemory: 0, policy: 'allkeys-lru' })).rejects.toThrow(/configureEviction: maxmemory .*got 0/);
    await expect(configureEviction(redis, { maxmemory: 1, policy: 'lru' as never })).rejects.toThrow(/configureEviction: policy must be one of noeviction, allkeys-lru.*; got lru/);
    await expect(configureEviction(redis, { maxmemory: 1, policy: 'noeviction', samples: 65 })).rejects.toThrow(/configureEviction: samples .*got 65/);
  });
});

describe('configureEviction (on a server of its own)', () => {
  onOwnServer('needs CONFIG SET')('sets maxmemory, the policy and the samples, and returns what the server now says', async () => {
    server = await ownServer();
    const settings = await configureEviction(server.redis, { maxmemory: 50_000_000, policy: 'allkeys-lfu', samples: 10 });
    expect(settings).toEqual({ maxmemory: 50_000_000, policy: 'allkeys-lfu', samples: 10 });
    expect(await server.redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'allkeys-lfu']);
    expect(await server.redis.config('GET', 'maxmemory')).toEqual(['maxmemory', '50000000']);
  });

  onOwnServer('needs CONFIG SET')('leaves maxmemory-samples as the server has it when none is given', async () => {
    server = await ownServer();
    const settings = await configureEviction(server.redis, { maxmemory: 50_000_000, policy: 'volatile-lru' });
    expect(settings).toEqual({ maxmemory: 50_000_000, policy: 'volatile-lru', samples: 5 });
  });

  onOwnServer('needs maxmemory')('allkeys-lru: 5 MB written past a 1 MB bound, memory stays bounded and evicted_keys moves', async () => {
    const { redis, maxmemory } = await boundedServer('allkeys-lru');
    for (let i = 0; i < 5_000; i++) await redis.set(`page:${i}`, KB); // every write succeeds
    expect(await serverNumber(redis, 'memory', 'used_memory')).toBeLessThan(maxmemory + 50_000);
    expect(await serverNumber(redis, 'stats', 'evicted_keys')).toBeGreaterThan(1_000);
    expect(await redis.dbsize()).toBeLessThan(5_000);
    expect(await redis.exists('page:4999')).toBe(1); // the newest write survives: nothing was flushed
  });

  onOwnServer('needs maxmemory')('volatile-lru: keys without a TTL (sessions) all survive; only cache keys with a TTL are evicted', async () => {
    const { redis } = await boundedServer('volatile-lru');
    for (let i = 0; i < 100; i++) await redis.set(`session:${i}`, KB);
    for (let i = 0; i < 3_000; i++) await redis.set(`cache:${i}`, KB, 'EX', 3_600);
    expect(await serverNumber(redis, 'stats', 'evicted_keys')).toBeGreaterThan(0);
    for (let i = 0; i < 100; i++) expect(await redis.exists(`session:${i}`), `session:${i}`).toBe(1);
  });

  onOwnServer('needs maxmemory')('noeviction: once full, a write fails with OOM (the writer knows) and nothing stored is dropped', async () => {
    const { redis } = await boundedServer('noeviction', 300_000);
    let written = 0;
    let refused: unknown;
    while (written < 5_000 && refused === undefined) {
      try {
        await redis.rpush('queue', KB);
        written++;
      } catch (error) {
        refused = error;
      }
    }
    expect(String(refused)).toMatch(/OOM/);
    expect(await redis.llen('queue')).toBe(written);
    expect(await serverNumber(redis, 'stats', 'evicted_keys')).toBe(0);
  });
});

describe('memoryReport', () => {
  it('wants the prefix of your keys (a report of everything is INFO memory) and sane sizes, before sending anything', async () => {
    for (const [prefix, options] of [['', {}], [undefined as never, {}], ['p:', { sampleSize: 0 }], ['p:', { top: -1 }], ['p:', { sampleSize: Number.NaN }]] as const) {
      const { redis, touched } = untouchable();
      await expect(memoryReport(redis, prefix, options)).rejects.toThrow(/prefix|sampleSize|top/);
      expect(touched).toEqual([]);
    }
  });

  it('says which size is wrong and what it got', async () => {
    const { redis } = untouchable();
    await expect(memoryReport(redis, 'p:', { sampleSize: 0 })).rejects.toThrow(/memoryReport: sampleSize .*got 0/);
    await expect(memoryReport(redis, 'p:', { top: 2.5 })).rejects.toThrow(/memoryReport: top .*got 2.5/);
    await expect(memoryReport(redis, '')).rejects.toThrow(/memoryReport: give the prefix/);
  });

  it('follows SCAN\'s cursor until it comes back to 0, MATCHing only the escaped prefix, and counts a key SCAN returns twice once', async () => {
    const { redis, sent } = scriptedRedis({
      pages: { '0': ['17', ['p*:a', 'p*:b']], '17': ['5', []], '5': ['0', ['p*:b', 'p*:c']] },
      keys: { 'p*:a': { bytes: 50, pttl: 1_000 }, 'p*:b': { bytes: 60, pttl: -1 }, 'p*:c': { bytes: 70, pttl: 1_000 } },
      info: infoFixture('evicting'),
    });
    const report = await memoryReport(redis, 'p*:');
    expect(sent.filter((command) => command[0] === 'scan').map((command) => command.slice(1, 4))).toEqual([
      ['0', 'MATCH', 'p\\*:*'], ['17', 'MATCH', 'p\\*:*'], ['5', 'MATCH', 'p\\*:*'],
    ]);
    expect(report.sampled).toBe(3);
    expect(report.withoutTtl).toEqual(['p*:b']);
  });

  it('lists the largest keys largest first, no more than top, with their bytes', async () => {
    const keys = { 'p:small': { bytes: 10, pttl: 5 }, 'p:big': { bytes: 900, pttl: 5 }, 'p:medium': { bytes: 300, pttl: 5 } };
    const { redis } = scriptedRedis({ pages: { '0': ['0', Object.keys(keys)] }, keys, info: infoFixture('evicting') });
    expect((await memoryReport(redis, 'p:', { top: 2 })).largest).toEqual([{ key: 'p:big', bytes: 900 }, { key: 'p:medium', bytes: 300 }]);
    expect((await memoryReport(redis, 'p:')).largest).toHaveLength(3);
    expect(await memoryReport(redis, 'p:', { top: 1, sampleSize: 1 })).toMatchObject({ sampled: 1, largest: [{ key: 'p:small', bytes: 10 }] });
  });

  it('leaves out a key that expired between SCAN and MEMORY USAGE (no bytes, PTTL -2): not the largest, not one without a TTL', async () => {
    const { redis } = scriptedRedis({
      pages: { '0': ['0', ['p:gone', 'p:kept']] },
      keys: { 'p:gone': { bytes: null, pttl: -2 }, 'p:kept': { bytes: 100, pttl: -1 } },
      info: infoFixture('evicting'),
    });
    const report = await memoryReport(redis, 'p:');
    expect(report).toMatchObject({ sampled: 2, largest: [{ key: 'p:kept', bytes: 100 }], withoutTtl: ['p:kept'] });
  });

  it('stops at sampleSize keys, within a page and across pages, without asking SCAN for more', async () => {
    const keys = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`p:${i}`, { bytes: 1, pttl: -1 }]));
    const within = scriptedRedis({ pages: { '0': ['9', ['p:0', 'p:1', 'p:2', 'p:3']], '9': ['0', ['p:4']] }, keys, info: '' });
    expect((await memoryReport(within.redis, 'p:', { sampleSize: 3 })).withoutTtl).toEqual(['p:0', 'p:1', 'p:2']);
    expect(within.sent.filter((command) => command[0] === 'scan')).toHaveLength(1);
    const across = scriptedRedis({ pages: { '0': ['9', ['p:0', 'p:1']], '9': ['4', ['p:2', 'p:3']], '4': ['0', ['p:4', 'p:5']] }, keys, info: '' });
    expect((await memoryReport(across.redis, 'p:', { sampleSize: 4 })).sampled).toBe(4);
    expect(across.sent.filter((command) => command[0] === 'scan')).toHaveLength(2);
  });

  it('reads used_memory, maxmemory and the policy from INFO memory (\\r\\n and all)', async () => {
    const { redis, sent } = scriptedRedis({ pages: { '0': ['0', []] }, info: infoFixture('evicting') });
    expect(await memoryReport(redis, 'p:')).toEqual({ usedMemory: 2_097_968, maxmemory: 2_097_152, policy: 'allkeys-lru', sampled: 0, largest: [], withoutTtl: [] });
    expect(sent).toContainEqual(['info', 'memory']);
  });

  onRealRedis('ioredis-mock has no MEMORY USAGE')('lists the largest keys under the prefix, largest first, and the keys without a TTL', async () => {
    const redis = ns.redis;
    await redis.set(ns.key('big'), 'x'.repeat(50_000), 'EX', 600);
    await redis.set(ns.key('medium'), 'x'.repeat(5_000));
    for (let i = 0; i < 20; i++) await redis.set(ns.key('small', i), 'x', 'EX', 600);
    const report = await memoryReport(redis, ns.prefix, { top: 2 });
    expect(report.sampled).toBe(22);
    expect(report.largest.map((entry) => entry.key)).toEqual([ns.key('big'), ns.key('medium')]);
    expect(report.largest[0]!.bytes).toBeGreaterThan(50_000);
    expect(report.withoutTtl).toEqual([ns.key('medium')]);
    expect(report.usedMemory).toBeGreaterThan(0);
    expect(Number.isSafeInteger(report.maxmemory)).toBe(true);
    expect(report.policy).toMatch(/^(noeviction|allkeys-|volatile-)/);
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

  onRealRedis('ioredis-mock has no MEMORY USAGE')('never sends KEYS, which would walk the whole keyspace in one command', async () => {
    await ns.redis.set(ns.key('k'), 'x');
    const sent: string[] = [];
    const watched = new Proxy(ns.redis, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          sent.push(property === 'call' ? String(args[0]).toLowerCase() : String(property).toLowerCase());
          return value.apply(target, args);
        };
      },
    });
    await memoryReport(watched, ns.prefix);
    expect(sent).toContain('scan');
    expect(sent).not.toContain('keys');
  });

  onRealRedis('ioredis-mock has no MEMORY USAGE')('looks at no more than sampleSize keys (a sample, not a walk of everything)', async () => {
    for (let i = 0; i < 30; i++) await ns.redis.set(ns.key('k', i), 'x');
    const report = await memoryReport(ns.redis, ns.prefix, { sampleSize: 10 });
    expect(report.sampled).toBe(10);
    expect(report.withoutTtl).toHaveLength(10);
  });
});
