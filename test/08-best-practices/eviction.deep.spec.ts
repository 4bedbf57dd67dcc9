import { afterEach, describe, expect, it } from 'vitest';
import { choosePolicy, configureEviction, evictionPolicies } from '@kata/08-best-practices/eviction.js';
import { onOwnServer, ownServer, scriptedRedis, untouchable, type OwnServer } from './helpers.js';

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

describe('choosePolicy, to the letter', () => {
  it('takes recency as the default access pattern', () => {
    expect(choosePolicy('cache', 'recency')).toBe('allkeys-lru');
    expect(choosePolicy('cache-with-pinned-keys', 'recency')).toBe('volatile-lru');
  });

  it('knows no use of the old names: a queue or a session store is data', () => {
    for (const use of ['queue', 'cache-beside-data', 'sessions', '']) expect(() => choosePolicy(use as never), use).toThrow(RangeError);
  });

  it('says which argument it does not know and what it got', () => {
    expect(() => choosePolicy('sessions' as never)).toThrow(/choosePolicy: use is 'cache', 'cache-with-pinned-keys' or 'data', got sessions/);
    expect(() => choosePolicy('data', 'random' as never)).toThrow(/choosePolicy: access is 'recency' or 'frequency', got random/);
  });
});

describe('configureEviction, every corner', () => {
  it('refuses every maxmemory that is not a positive whole number of bytes, before sending anything', async () => {
    for (const maxmemory of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '100mb' as never]) {
      const { redis, touched } = untouchable();
      await expect(configureEviction(redis, { maxmemory, policy: 'allkeys-lru' }), String(maxmemory)).rejects.toThrow(RangeError);
      expect(touched).toEqual([]);
    }
  });

  it('refuses a policy Redis does not have (a typo would otherwise leave the server unbounded)', async () => {
    for (const policy of ['allkeys-LRU', 'lru', 'volatile_lru', '', 'toString'] as never[]) {
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

  it('sends exactly one CONFIG SET with every pair, and no maxmemory-samples when none is given', async () => {
    const withSamples = scriptedRedis({});
    await configureEviction(withSamples.redis, { maxmemory: 1_000_000, policy: 'allkeys-lfu', samples: 10 });
    expect(withSamples.sent.filter((command) => String(command[2]).toUpperCase() === 'SET')).toEqual([
      ['call', 'CONFIG', 'SET', 'maxmemory', '1000000', 'maxmemory-policy', 'allkeys-lfu', 'maxmemory-samples', '10'],
    ]);
    const without = scriptedRedis({});
    await configureEviction(without.redis, { maxmemory: 2_000, policy: 'volatile-ttl' });
    expect(without.sent.flat()).not.toContain('maxmemory-samples');
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

  it('returns the truth the server reports, not what it was asked (a server that rounds or ignores a setting)', async () => {
    const { redis, config } = scriptedRedis({});
    const call = redis.call.bind(redis) as (...args: string[]) => Promise<unknown>;
    Object.assign(redis, {
      call: async (...args: string[]) => {
        const reply = await call(...args);
        config.set('maxmemory', '999999'); // what a server that rounds to its own unit would say
        return reply;
      },
    });
    expect((await configureEviction(redis, { maxmemory: 1_000_000, policy: 'allkeys-lru' })).maxmemory).toBe(999_999);
  });
});

describe('eviction on a server of its own', () => {
  onOwnServer('needs CONFIG SET')('leaves maxmemory-samples as the server has it when none is given', async () => {
    server = await ownServer();
    const settings = await configureEviction(server.redis, { maxmemory: 50_000_000, policy: 'volatile-lru' });
    expect(settings).toEqual({ maxmemory: 50_000_000, policy: 'volatile-lru', samples: 5 });
    expect(await server.redis.config('GET', 'maxmemory')).toEqual(['maxmemory', '50000000']);
  });

  onOwnServer('needs maxmemory')('allkeys-lru: 5 MB written past a 1 MB bound, memory stays bounded and evicted_keys moves', async () => {
    const { redis, maxmemory } = await boundedServer('allkeys-lru');
    for (let i = 0; i < 5_000; i++) await redis.set(`page:${i}`, KB); // every write succeeds
    expect(await serverNumber(redis, 'memory', 'used_memory')).toBeLessThan(maxmemory + 50_000);
    expect(await serverNumber(redis, 'stats', 'evicted_keys')).toBeGreaterThan(1_000);
    // Some evicted, most kept: nothing was flushed. (Not "the newest survives": Redis's LRU clock
    // ticks once a second, so keys written in the same second look equally old to the sampler.)
    const left = await redis.dbsize();
    expect(left).toBeLessThan(5_000);
    expect(left).toBeGreaterThan(500);
  });

  onOwnServer('needs maxmemory')('volatile-lru: keys without a TTL (pinned keys) all survive; only copies with a TTL are evicted', async () => {
    const { redis } = await boundedServer('volatile-lru');
    for (let i = 0; i < 100; i++) await redis.set(`pinned:${i}`, KB);
    for (let i = 0; i < 3_000; i++) await redis.set(`cache:${i}`, KB, 'EX', 3_600);
    expect(await serverNumber(redis, 'stats', 'evicted_keys')).toBeGreaterThan(0);
    for (let i = 0; i < 100; i++) expect(await redis.exists(`pinned:${i}`), `pinned:${i}`).toBe(1);
  });

  onOwnServer('needs maxmemory')('volatile-lru evicts a session or a lock like any copy: they have TTLs (why data gets a Redis of its own)', async () => {
    const { redis } = await boundedServer('volatile-lru');
    for (let i = 0; i < 100; i++) await redis.set(`session:${i}`, KB, 'EX', 86_400);
    for (let i = 0; i < 3_000; i++) await redis.set(`cache:${i}`, KB, 'EX', 3_600);
    let sessions = 0;
    for (let i = 0; i < 100; i++) sessions += await redis.exists(`session:${i}`);
    expect(sessions).toBeLessThan(100);
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

  onOwnServer('needs maxmemory')('one write can take memory past the bound: Redis evicts before the next command, not during the write', async () => {
    const { redis, maxmemory } = await boundedServer('allkeys-lru', 100_000);
    for (let i = 0; i < 50; i++) await redis.set(`page:${i}`, KB);
    // SETRANGE builds a 2 MB string from a few bytes of input; the script reads INFO before any other command runs.
    const [used] = (await redis.eval(
      "redis.call('SETRANGE', KEYS[1], 2000000, 'x'); return { tonumber(string.match(redis.call('INFO', 'memory'), 'used_memory:(%d+)')) }",
      1,
      'big',
    )) as number[];
    expect(used).toBeGreaterThan(maxmemory + 1_000_000);
    await redis.ping(); // the next command: over the bound, so Redis evicts first
    expect(await serverNumber(redis, 'memory', 'used_memory')).toBeLessThan(maxmemory + 50_000);
    expect(await serverNumber(redis, 'stats', 'evicted_keys')).toBeGreaterThan(0);
  });
});
