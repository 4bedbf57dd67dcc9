import { describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { cached } from '@kata/03-redis-caching/read-through.js';
import { CodecError, msgpackCodec } from '../../provided/codecs.js';
import { useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';

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
    expect(onError).toHaveBeenCalledWith(expect.any(Error), 'user:1');
    expect(redis.set).not.toHaveBeenCalled();
  });

  it('still answers with the loaded value when only the write fails', async () => {
    const redis = brokenRedis({ getBuffer: async () => null });
    expect(await cached(redis, 'user:1', async () => 'Ada', 60, quiet)).toBe('Ada');
  });

  it('passes the loader\'s own error through (there is nobody else to ask) and caches nothing', async () => {
    const databaseDown = new Error('database is down too');
    const failing = async () => {
      throw databaseDown;
    };
    await expect(cached(ns.redis, ns.key('user', 1), failing, 60, quiet)).rejects.toBe(databaseDown);
    expect(await ns.redis.exists(ns.key('user', 1))).toBe(0);
  });

  it('refuses an empty key or a bad TTL before calling the loader', async () => {
    const loader = vi.fn(async () => 1);
    await expectRefusal(() => cached(ns.redis, '', loader, 60), TypeError, 'key');
    await expectRefusal(() => cached(ns.redis, ns.key('n'), loader, 0), RangeError, 'ttlSeconds');
    expect(loader).not.toHaveBeenCalled();
  });

  it('throws a TypeError when the loader returns what the codec cannot store, and writes nothing', async () => {
    await expectRefusal(() => cached(ns.redis, ns.key('user', 1), async () => ({ id: 1, save() {} }), 60, quiet), TypeError, 'value');
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
    expect(onError).toHaveBeenCalledWith(expect.any(Error), ns.key('user', 1));
    expect(await cached(ns.redis, ns.key('user', 1), loader, 60, { onError })).toEqual({ id: 1 });
    expect(loader).toHaveBeenCalledTimes(1);
  });




});
