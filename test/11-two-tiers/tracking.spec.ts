import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Redis, type RedisOptions } from 'ioredis';
import { hasRedisServer, startRedisServer, withRedisServer, type ThrowawayRedis } from '../support/redis-server.js';
import { createTrackedCache, type TrackedCache } from '@kata/11-two-tiers/tracking.js';
import { backend, onRealRedis, redisUrl, useRedis } from '../support/redis.js';
import { writeFromAnotherProcess } from './child-writer.js';

const ns = useRedis();
const opened: Array<TrackedCache<unknown>> = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

type Test = (name: string, fn: () => Promise<void>, timeout?: number) => void;

/** Where a block of specs runs: the shared server (--redis real) or a redis-server of its own. */
interface Where {
  test: Test;
  /** A plain client for the writes of "someone else" and for CLIENT LIST / KILL. */
  admin(): Redis;
  connect(options?: RedisOptions): Promise<Redis>;
  key(...parts: Array<string | number>): string;
  url(): string;
}

let instances = 0;
/** An app instance on client-side caching: a connection of its own, which the server tracks. */
async function tracked<T>(where: Where) {
  const redis = await where.connect({ connectionName: `cachelings-test-tracked-${process.pid}-${Date.now()}-${++instances}` });
  const instance = await createTrackedCache<T>({ redis, l1Max: 100, l1TtlMs: 60_000, l2TtlSeconds: 60 });
  opened.push(instance as TrackedCache<unknown>);
  return { ...instance, redis };
}

/** The id of the connection with this name, from CLIENT LIST. */
async function clientId(where: Where, name: string): Promise<string> {
  const line = String(await where.admin().call('CLIENT', 'LIST')).split('\n').find((l) => l.includes(` name=${name} `));
  const id = line?.match(/id=(\d+)/)?.[1];
  if (id === undefined) throw new Error(`no connection named ${name} in CLIENT LIST`);
  return id;
}

function trackingSpecs(where: Where): void {
  where.test('drops a key from L1 when any client changes it, although nobody published anything', async () => {
    const { cache } = await tracked<string>(where);
    const key = where.key('user', 1);
    await where.admin().set(key, JSON.stringify({ json: 'old' }));
    expect(await cache.get(key, async () => 'loader')).toBe('old');
    expect(cache.hasL1(key)).toBe(true);
    await where.admin().set(key, JSON.stringify({ json: 'new' })); // a plain SET, from a client that knows nothing of L1
    await vi.waitFor(() => expect(cache.hasL1(key)).toBe(false));
    expect(await cache.get(key, async () => 'loader')).toBe('new');
  });

  where.test('hears deletes and every key of a multi-key write', async () => {
    const { cache } = await tracked<string>(where);
    const [a, b, c] = [where.key('a'), where.key('b'), where.key('c')];
    for (const key of [a, b, c]) {
      await cache.get(key, async () => key);
      await cache.get(key, async () => 'loader'); // read from Redis: watched and in L1
    }
    expect([a, b, c].map((k) => cache.hasL1(k))).toEqual([true, true, true]);
    await where.admin().unlink(a);
    await where.admin().mset(b, 'x', c, 'y');
    await vi.waitFor(() => expect([a, b, c].map((k) => cache.hasL1(k))).toEqual([false, false, false]));
  });

  where.test('drops only the keys that changed, not the rest of L1', async () => {
    const { cache } = await tracked<string>(where);
    const [a, b] = [where.key('a'), where.key('b')];
    for (const key of [a, b]) {
      await cache.get(key, async () => key);
      await cache.get(key, async () => 'loader'); // read from Redis: watched and in L1
    }
    await where.admin().set(a, JSON.stringify({ json: 'changed' }));
    await vi.waitFor(() => expect(cache.hasL1(a)).toBe(false));
    expect(cache.hasL1(b)).toBe(true);
  });

  where.test('keeps L1 honest after a miss: the loaded value is not put in L1 (a write is not a read, so the server would not watch the key)', async () => {
    const { cache } = await tracked<string>(where);
    const key = where.key('k');
    expect(await cache.get(key, async () => 'loaded')).toBe('loaded');
    expect(cache.hasL1(key)).toBe(false);
    expect(await cache.get(key, async () => 'loader')).toBe('loaded'); // read from Redis: now it is watched
    expect(cache.hasL1(key)).toBe(true);
    await where.admin().set(key, JSON.stringify({ json: 'changed' }));
    await vi.waitFor(() => expect(cache.hasL1(key)).toBe(false));
  });

  where.test('keeps two instances coherent: one writes through its cache, the other drops the key', async () => {
    const a = await tracked<string>(where);
    const b = await tracked<string>(where);
    const key = where.key('k');
    await a.cache.get(key, async () => 'old');
    await b.cache.get(key, async () => 'loader');
    expect(b.cache.hasL1(key)).toBe(true);
    await a.cache.set(key, 'new');
    await vi.waitFor(() => expect(b.cache.hasL1(key)).toBe(false));
    expect(await b.cache.get(key, async () => 'loader')).toBe('new');
  });

  where.test(
    'drops its L1 entry when an instance in another process writes the key through its own tracked cache',
    async () => {
      const { cache } = await tracked<string>(where);
      const key = where.key('user', 1);
      await where.admin().set(key, JSON.stringify({ json: 'old' }));
      await cache.get(key, async () => 'loader');
      expect(cache.hasL1(key)).toBe(true);
      await writeFromAnotherProcess('tracking', where.url(), key, '', 'from another process');
      await vi.waitFor(() => expect(cache.hasL1(key)).toBe(false));
      expect(await cache.get(key, async () => 'loader')).toBe('from another process');
    },
    20_000,
  );

  where.test('turns tracking on again after its connection is dropped, and sees what changed meanwhile', async () => {
    const { cache, redis } = await tracked<string>(where);
    const key = where.key('k');
    await where.admin().set(key, JSON.stringify({ json: 'old' }));
    await cache.get(key, async () => 'loader');
    await where.admin().client('KILL', 'ID', await clientId(where, redis.options.connectionName!));
    await vi.waitFor(() => expect(cache.trustL1).toBe(false));
    await where.admin().set(key, JSON.stringify({ json: 'meanwhile' }));
    await vi.waitFor(() => expect(cache.trustL1).toBe(true), { timeout: 5_000 });
    expect(await cache.get(key, async () => 'loader')).toBe('meanwhile');
    expect(cache.hasL1(key)).toBe(true);
    await where.admin().set(key, JSON.stringify({ json: 'after' })); // tracked again: this one is heard
    await vi.waitFor(() => expect(cache.hasL1(key)).toBe(false));
  });

  where.test('redirects to the new subscriber after the invalidation connection is dropped', async () => {
    const { cache, redis } = await tracked<string>(where);
    const key = where.key('k');
    await cache.get(key, async () => 'v');
    const info = (await redis.call('CLIENT', 'TRACKINGINFO')) as unknown[];
    const redirect = String(info[info.indexOf('redirect') + 1]);
    await where.admin().client('KILL', 'ID', redirect);
    await vi.waitFor(() => expect(cache.trustL1).toBe(false));
    await vi.waitFor(() => expect(cache.trustL1).toBe(true), { timeout: 5_000 });
    const after = (await redis.call('CLIENT', 'TRACKINGINFO')) as unknown[];
    expect(String(after[after.indexOf('redirect') + 1])).not.toBe(redirect);
    await cache.get(key, async () => 'loader');
    expect(cache.hasL1(key)).toBe(true);
    await where.admin().set(key, JSON.stringify({ json: 'changed' }));
    await vi.waitFor(() => expect(cache.hasL1(key)).toBe(false));
  });

  where.test('asks the server not to echo its own writes (NOLOOP): set() dropped the key already, and a late echo would drop a newer read', async () => {
    const { redis } = await tracked<string>(where);
    const info = (await redis.call('CLIENT', 'TRACKINGINFO')) as unknown[];
    expect(info[info.indexOf('flags') + 1]).toEqual(expect.arrayContaining(['on', 'noloop']));
  });

  where.test('close() turns tracking off on the connection and closes only the subscriber it opened', async () => {
    const { cache, redis, close } = await tracked<string>(where);
    opened.pop();
    const listeners = () => ['close', 'ready'].map((event) => redis.listenerCount(event));
    await close();
    expect(listeners(), 'its close and ready listeners on the connection are gone').toEqual([0, 0]);
    expect(cache.trustL1).toBe(false);
    const info = (await redis.call('CLIENT', 'TRACKINGINFO')) as unknown[];
    expect(info[info.indexOf('flags') + 1]).toEqual(['off']);
    expect(redis.status).toBe('ready');
  });
}

describe('createTrackedCache: the server tells L1 what changed', () => {
  trackingSpecs({
    test: onRealRedis('ioredis-mock has no CLIENT TRACKING'),
    admin: () => ns.redis,
    connect: (options) => ns.connect(options),
    key: (...parts) => ns.key(...parts),
    url: () => redisUrl,
  });
});

describe('createTrackedCache: the server tells L1 what changed (on a redis-server of its own, on every backend)', () => {
  let server: ThrowawayRedis | undefined;
  let admin: Redis | undefined;
  const clients: Redis[] = [];
  const connect = async (options: RedisOptions = {}) => {
    const client = new Redis(server!.url, { retryStrategy: () => 50, maxRetriesPerRequest: 1, ...options });
    client.on('error', () => {});
    clients.push(client);
    return client;
  };
  beforeAll(async () => {
    if (!hasRedisServer) return;
    server = await startRedisServer();
    admin = await connect();
  });
  afterAll(async () => {
    clients.splice(0).forEach((c) => c.disconnect());
    await server?.kill();
  });
  let tests = 0;
  beforeEach(() => void tests++);
  trackingSpecs({
    test: withRedisServer(),
    admin: () => admin!,
    connect,
    key: (...parts) => `t${tests}:${parts.join(':')}`,
    url: () => server!.url,
  });
});

describe('createTrackedCache on a server without CLIENT TRACKING', () => {
  it(`rejects at creation with an error that says what it needs${backend === 'mock' ? ' (here: ioredis-mock)' : ' (a connection that refuses CLIENT)'}`, async () => {
    const redis = await ns.connect();
    const refusing: Redis = backend === 'mock' ? redis : withoutClientCommand(redis);
    const creating = createTrackedCache({ redis: refusing, l1Max: 10, l1TtlMs: 1_000, l2TtlSeconds: 60 });
    await expect(creating).rejects.toThrow(/could not turn on CLIENT TRACKING.*Redis 6/s);
    await expect(creating).rejects.toHaveProperty('cause', expect.any(Error));
  });
});

/** Redis before 6, as the cache sees it: CLIENT TRACKING is an unknown subcommand. */
function withoutClientCommand(redis: Redis): Redis {
  return new Proxy(redis, {
    get(target, property) {
      if (property === 'client') return () => Promise.reject(new Error("ERR unknown subcommand 'TRACKING'"));
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('createTrackedCache on a Redis of its own (FLUSHDB, a restart)', () => {
  let server: ThrowawayRedis | undefined;
  const clients: Redis[] = [];
  const connect = () => {
    const client = new Redis(server!.url, { retryStrategy: () => 50, maxRetriesPerRequest: 1 });
    client.on('error', () => {});
    clients.push(client);
    return client;
  };
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.disconnect());
    await server?.kill();
  });

  withRedisServer()('clears all of L1 when the database is flushed (the invalidation carries no keys, only null)', async () => {
    server = await startRedisServer();
    const { cache, close } = await createTrackedCache<string>({ redis: connect(), l1Max: 10, l1TtlMs: 60_000, l2TtlSeconds: 60 });
    await cache.get('a', async () => 'a');
    await cache.get('a', async () => 'loader');
    await cache.get('b', async () => 'b');
    await cache.get('b', async () => 'loader');
    expect([cache.hasL1('a'), cache.hasL1('b')]).toEqual([true, true]);
    await connect().flushdb();
    await vi.waitFor(() => expect([cache.hasL1('a'), cache.hasL1('b')]).toEqual([false, false]));
    await close();
  });

  withRedisServer()('after Redis restarts, tracks again on the new connections and serves the value written since', async () => {
    server = await startRedisServer();
    const writer = connect();
    const { cache, close } = await createTrackedCache<string>({ redis: connect(), l1Max: 10, l1TtlMs: 60_000, l2TtlSeconds: 60 });
    await writer.set('k', JSON.stringify({ json: 'before' }));
    await cache.get('k', async () => 'loader');
    expect(cache.hasL1('k')).toBe(true);
    await server.restart(); // empty, and every connection is new
    await vi.waitFor(() => expect(cache.trustL1).toBe(false));
    await writer.set('k', JSON.stringify({ json: 'after' }));
    await vi.waitFor(() => expect(cache.trustL1).toBe(true), { timeout: 5_000 });
    expect(await cache.get('k', async () => 'loader')).toBe('after');
    await writer.set('k', JSON.stringify({ json: 'later' }));
    await vi.waitFor(() => expect(cache.hasL1('k')).toBe(false));
    await close();
  });
});
