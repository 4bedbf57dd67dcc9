import { afterEach, describe, expect, it, vi } from 'vitest';
import { Redis } from 'ioredis';
import { cached } from '@kata/03-redis-caching/read-through.js';
import { CodecError, msgpackCodec } from '@kata/03-redis-caching/codecs.js';
import { useRedis } from '../support/redis.js';
import { startRedisServer, withRedisServer, type ThrowawayRedis } from '../support/redis-server.js';

/** A client whose every command fails the way a dead connection does. */
function brokenRedis(overrides: Partial<Record<'getBuffer' | 'set' | 'unlink', () => Promise<unknown>>> = {}) {
  const down = () => Promise.reject(new Error('Connection is closed.'));
  return { getBuffer: vi.fn(down), set: vi.fn(down), unlink: vi.fn(down), ...overrides } as unknown as Redis;
}

describe('cached(redis, key, loader, ttl): a read-through cache layer', () => {
  const ns = useRedis();
  const quiet = { onError: () => {} };

  it('calls the loader on a miss, stores its value with the TTL, and serves the next call from Redis', async () => {
    const loader = vi.fn(async () => ({ id: 1, name: 'Ada' }));
    expect(await cached(ns.redis, ns.key('user', 1), loader, 60)).toEqual({ id: 1, name: 'Ada' });
    expect(await cached(ns.redis, ns.key('user', 1), loader, 60)).toEqual({ id: 1, name: 'Ada' });
    expect(loader).toHaveBeenCalledTimes(1);
    expect(await ns.redis.ttl(ns.key('user', 1))).toBeGreaterThan(0);
  });

  it('serves a cached 0, \'\', false or null from Redis: the loader runs once per key', async () => {
    for (const [i, value] of [0, '', false, null].entries()) {
      const loader = vi.fn(async () => value);
      await cached(ns.redis, ns.key('falsy', i), loader, 60);
      expect(await cached(ns.redis, ns.key('falsy', i), loader, 60)).toBe(value);
      expect(loader).toHaveBeenCalledTimes(1);
    }
  });

  it('gives back a Date as a Date, with the default codec and with msgpackCodec', async () => {
    const loader = async () => ({ createdAt: new Date('2024-05-01T12:00:00Z') });
    for (const options of [{}, { codec: msgpackCodec }]) {
      const key = ns.key('user', Object.keys(options).length);
      await cached(ns.redis, key, loader, 60, options);
      const again = await cached(ns.redis, key, vi.fn(loader), 60, options);
      expect(again.createdAt).toBeInstanceOf(Date);
    }
  });

  it('treats bytes that do not decode as a miss: loads, replaces them, and never throws the CodecError at you', async () => {
    await ns.redis.set(ns.key('user', 1), '\x80 not a value');
    const onError = vi.fn();
    expect(await cached(ns.redis, ns.key('user', 1), async () => 'Ada', 60, { onError })).toBe('Ada');
    expect(onError).toHaveBeenCalledWith(expect.any(CodecError), ns.key('user', 1));
    const loader = vi.fn(async () => 'Ada again');
    expect(await cached(ns.redis, ns.key('user', 1), loader, 60, { onError })).toBe('Ada');
    expect(loader).not.toHaveBeenCalled();
  });

  it('falls back to the loader when Redis fails, reports it, and does not wait for Redis a second time to write', async () => {
    const redis = brokenRedis();
    const onError = vi.fn();
    expect(await cached(redis, 'user:1', async () => 'Ada', 60, { onError })).toBe('Ada');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'Connection is closed.' }), 'user:1');
    expect(redis.set).not.toHaveBeenCalled();
  });

  it('still answers with the loaded value when only the write fails', async () => {
    const redis = brokenRedis({ getBuffer: async () => null });
    expect(await cached(redis, 'user:1', async () => 'Ada', 60, quiet)).toBe('Ada');
  });

  it('passes the loader\'s own error through (there is nobody else to ask) and caches nothing', async () => {
    const failing = async () => {
      throw new Error('database is down too');
    };
    await expect(cached(ns.redis, ns.key('user', 1), failing, 60, quiet)).rejects.toThrow('database is down too');
    expect(await ns.redis.exists(ns.key('user', 1))).toBe(0);
  });

  it('refuses an empty key or a bad TTL before calling the loader', async () => {
    const loader = vi.fn(async () => 1);
    await expect(cached(ns.redis, '', loader, 60)).rejects.toThrow(TypeError);
    await expect(cached(ns.redis, ns.key('n'), loader, 0)).rejects.toThrow(RangeError);
    expect(loader).not.toHaveBeenCalled();
  });

  it('throws a TypeError when the loader returns what the codec cannot store, and writes nothing', async () => {
    await expect(cached(ns.redis, ns.key('user', 1), async () => ({ id: 1, save() {} }), 60, quiet)).rejects.toThrow(TypeError);
    expect(await ns.redis.exists(ns.key('user', 1))).toBe(0);
  });
});

describe('cached() with a key that holds something else', () => {
  const ns = useRedis();

  it('treats a key of another type (WRONGTYPE) as a miss it heals: reported, replaced, and the next call is a hit', async () => {
    await ns.redis.rpush(ns.key('user', 1), 'a', 'list');
    const onError = vi.fn();
    const loader = vi.fn(async () => ({ id: 1 }));
    expect(await cached(ns.redis, ns.key('user', 1), loader, 60, { onError })).toEqual({ id: 1 });
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/WRONGTYPE/) }), ns.key('user', 1));
    expect(await cached(ns.redis, ns.key('user', 1), loader, 60, { onError })).toEqual({ id: 1 });
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('refuses a TTL Redis cannot store (1e20) with a RangeError before calling the loader', async () => {
    const loader = vi.fn(async () => 1);
    await expect(cached(ns.redis, ns.key('n'), loader, 1e20)).rejects.toThrow(/cached: ttlSeconds/);
    await expect(cached(ns.redis, '', loader, 60)).rejects.toThrow(/cached: the key/);
    expect(loader).not.toHaveBeenCalled();
  });

  it('stores with a TTL of exactly 1', async () => {
    await cached(ns.redis, ns.key('n'), async () => 1, 1, { onError: () => {} });
    expect(await ns.redis.pttl(ns.key('n'))).toBeGreaterThan(0);
  });

  it('still answers when Redis rejects with something that is not an Error', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const redis = brokenRedis({ getBuffer: () => Promise.reject(undefined) });
    expect(await cached(redis, 'user:1', async () => 'Ada', 60)).toBe('Ada');
  });

  it('warns on the console by default, naming the key and the error, and still answers', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await cached(brokenRedis(), 'user:1', async () => 'Ada', 60)).toBe('Ada');
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/user:1: Connection is closed\./));
  });
});

describe('cached() when its redis-server is killed mid-test', () => {
  let server: ThrowawayRedis | undefined;
  let redis: Redis | undefined;
  afterEach(async () => {
    redis?.disconnect();
    await server?.kill();
  });

  withRedisServer()('falls back to the loader within commandTimeout, with no unhandled rejection', async () => {
    server = await startRedisServer();
    // maxRetriesPerRequest: null, so the only thing that can end the wait is commandTimeout.
    redis = new Redis(server.url, { lazyConnect: true, commandTimeout: 250, maxRetriesPerRequest: null, retryStrategy: () => 50 });
    redis.on('error', () => {});
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const loader = vi.fn(async () => ({ id: 1, name: 'Ada' }));
      const errors: unknown[] = [];
      const options = { onError: (error: unknown) => errors.push(error) };
      await cached(redis, 'user:1', loader, 60, options);
      await cached(redis, 'user:1', loader, 60, options);
      expect(loader).toHaveBeenCalledTimes(1);

      await server.kill();
      expect(await cached(redis, 'user:1', loader, 60, options)).toEqual({ id: 1, name: 'Ada' });
      expect(loader).toHaveBeenCalledTimes(2);
      expect(errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/timed out/i) })]);

      await new Promise((resolve) => setImmediate(resolve)); // let a stray rejection surface
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
