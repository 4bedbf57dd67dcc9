import { afterEach, describe, expect, it, vi } from 'vitest';
import { Redis } from 'ioredis';
import { cached } from '@kata/03-redis-caching/read-through.js';
import { useRedis } from '../support/redis.js';
import { startRedisServer, withRedisServer, type ThrowawayRedis } from '../support/redis-server.js';

/** A client whose every command fails the way a dead connection does. */
function brokenRedis(overrides: Partial<Record<'getBuffer' | 'set' | 'unlink', () => Promise<unknown>>> = {}) {
  const down = () => Promise.reject(new Error('Connection is closed.'));
  return { getBuffer: vi.fn(down), set: vi.fn(down), unlink: vi.fn(down), ...overrides } as unknown as Redis;
}

describe('cached(): the corners', () => {
  const ns = useRedis();

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

  it('reports the WRONGTYPE error itself, naming the key', async () => {
    await ns.redis.rpush(ns.key('user', 1), 'a', 'list');
    const onError = vi.fn();
    await cached(ns.redis, ns.key('user', 1), async () => 1, 60, { onError });
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/WRONGTYPE/) }), ns.key('user', 1));
  });

  it('still loads, writes and answers when the UNLINK of a foreign value fails, reporting both errors', async () => {
    const wrongType = Object.assign(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'), {});
    const set = vi.fn(async () => 'OK');
    const redis = brokenRedis({ getBuffer: () => Promise.reject(wrongType), set });
    const onError = vi.fn();
    expect(await cached(redis, 'user:1', async () => 'Ada', 60, { onError })).toBe('Ada');
    expect(onError).toHaveBeenCalledTimes(2);
    expect(set).toHaveBeenCalledOnce();
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
    redis = new Redis(server.url, { lazyConnect: true, commandTimeout: 500, maxRetriesPerRequest: null, retryStrategy: () => 50 });
    redis.on('error', () => {});
    // Connected before the clock of any command starts: on a loaded machine a connection can take longer than a command may.
    await redis.connect();
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
