import { describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import RedisMock from 'ioredis-mock';
import { readOrMiss, writeOrReport } from '../../provided/safe-json-cache.js';

/** A Redis whose every command fails, as one that is down. */
const down = new Proxy({} as Redis, { get: () => () => Promise.reject(new Error('Connection is closed')) });

describe('readOrMiss and writeOrReport (a cache that is down is a miss, never a crash)', () => {
  it('reads a hit and a miss as getJson does, telling nobody of an error', async () => {
    const redis = new RedisMock() as unknown as Redis;
    const onCacheError = vi.fn();
    await writeOrReport(redis, 'k', { n: 0 }, 60, onCacheError);
    expect(await readOrMiss(redis, 'k', onCacheError)).toEqual({ hit: true, value: { n: 0 } });
    expect(await readOrMiss(redis, 'missing', onCacheError)).toEqual({ hit: false });
    expect(onCacheError).not.toHaveBeenCalled();
    expect(await redis.ttl('k')).toBeGreaterThan(0);
    redis.disconnect();
  });

  it('reads a Redis that fails as a miss, and tells onCacheError why', async () => {
    const onCacheError = vi.fn();
    expect(await readOrMiss(down, 'k', onCacheError)).toEqual({ hit: false });
    expect(onCacheError).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ message: 'Connection is closed' }));
  });

  it('reports a write that fails instead of throwing it', async () => {
    const onCacheError = vi.fn();
    await expect(writeOrReport(down, 'k', 1, 60, onCacheError)).resolves.toBeUndefined();
    expect(onCacheError).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ message: 'Connection is closed' }));
  });
});
