import { afterEach, describe, expect, it } from 'vitest';
import { choosePolicy, configureEviction, evictionPolicies, memoryReport } from '@kata/08-best-practices/eviction.js';
import { onRealRedis, useRedis } from '../support/redis.js';
import { onOwnServer, ownServer, untouchable, type OwnServer } from './helpers.js';

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
