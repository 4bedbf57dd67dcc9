import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { closeRedis, createRedis, retryDelay } from '@kata/03-redis-caching/connection.js';
import { freePort, startRedisServer, withRedisServer, type ThrowawayRedis } from '../support/redis-server.js';

describe('retryDelay: capped exponential backoff with jitter', () => {
  const ceiling = (times: number) => retryDelay(times, { baseMs: 50, maxMs: 10_000, random: () => 1 });

  it('doubles the longest wait after every failed attempt: 50, 100, 200, 400 ms', () => {
    expect([1, 2, 3, 4].map(ceiling)).toEqual([50, 100, 200, 400]);
  });

  it('never waits longer than maxMs, and never gives up (a number, not null, even at attempt 10,000)', () => {
    for (const times of [20, 100, 10_000]) {
      expect(retryDelay(times, { baseMs: 50, maxMs: 2_000, random: () => 1 })).toBe(2_000);
    }
  });

  it('spreads clients out: the wait is random() times the ceiling (full jitter)', () => {
    const at = (random: number) => retryDelay(3, { baseMs: 50, maxMs: 10_000, random: () => random });
    expect([at(0), at(0.25), at(0.5)]).toEqual([0, 50, 100]);
  });
});

describe('createRedis', () => {
  const clients: Redis[] = [];
  const make = (...args: Parameters<typeof createRedis>) => {
    const redis = createRedis(...args);
    clients.push(redis);
    return redis;
  };
  afterEach(() => {
    vi.unstubAllEnvs();
    clients.splice(0).forEach((redis) => redis.disconnect());
  });

  it('reads where Redis is from REDIS_URL (the source hard-codes localhost:6379)', () => {
    vi.stubEnv('REDIS_URL', 'redis://10.1.2.3:6390/4');
    expect(make().options).toMatchObject({ host: '10.1.2.3', port: 6390, db: 4 });
  });

  it('defaults to redis://127.0.0.1:6379 when REDIS_URL is not set', () => {
    vi.stubEnv('REDIS_URL', undefined);
    expect(make().options).toMatchObject({ host: '127.0.0.1', port: 6379 });
  });

  it('connects lazily: creating a client opens no socket', () => {
    expect(make({ url: 'redis://127.0.0.1:6379' }).status).toBe('wait');
  });

  it('bounds every command with commandTimeout, and gives up after a few reconnects, not the default 20', () => {
    const defaults = make().options;
    expect(defaults.commandTimeout, 'createRedis() sets no commandTimeout: a command would wait as long as Redis is away').toBeGreaterThan(0);
    expect(defaults.maxRetriesPerRequest, 'maxRetriesPerRequest: a number of reconnects, not null (null waits forever)').toBeGreaterThanOrEqual(0);
    expect(defaults.maxRetriesPerRequest, "maxRetriesPerRequest is ioredis's default of 20 or more: a command waits through 20 reconnects").toBeLessThan(20);
    expect(make({ commandTimeoutMs: 123, maxRetriesPerRequest: 3 }).options).toMatchObject({ commandTimeout: 123, maxRetriesPerRequest: 3 });
  });

  it('reconnects with retryDelay as its retryStrategy', () => {
    const redis = make({ backoff: { baseMs: 10, maxMs: 1_000, random: () => 0.5 } });
    expect(redis.options.retryStrategy?.(3), 'retryStrategy(3) should be retryDelay(3, backoff): 0.5 × min(1000, 10 × 2²)').toBe(20);
    expect(redis.options.retryStrategy?.(50), 'retryStrategy(50) should be retryDelay(50, backoff): 0.5 × maxMs').toBe(500);
  });

  it('hands connection errors to an error listener, not to "[ioredis] Unhandled error event"', async () => {
    const nobodyListens = await freePort();
    const seen = new Promise<Error>((resolve) => {
      const redis = make({ url: `redis://127.0.0.1:${nobodyListens}`, onError: resolve });
      redis.ping().catch(() => {});
    });
    expect(await seen).toBeInstanceOf(Error); // ECONNREFUSED: nobody listens there
  });
});

describe('closeRedis', () => {
  it('closes a client that never connected without starting to connect (quit() goes through \'connecting\' first)', async () => {
    const onError = vi.fn();
    const redis = createRedis({ url: `redis://127.0.0.1:${await freePort()}`, onError });
    const connecting = vi.fn();
    redis.on('connecting', connecting);
    await closeRedis(redis);
    expect(redis.status, 'a client that never connected is closed with disconnect(), which ends it at once').toBe('end');
    expect(connecting).not.toHaveBeenCalled();
    expect(onError).not.toHaveBeenCalled(); // a connection attempt to a closed port would have reported ECONNREFUSED
  });
});

describe('a client from createRedis when its redis-server goes away', () => {
  let server: ThrowawayRedis | undefined;
  let redis: Redis | undefined;
  afterEach(async () => {
    redis?.disconnect();
    await server?.kill();
  });

  withRedisServer()('rejects a command (commandTimeout) instead of waiting for Redis to come back', async () => {
    server = await startRedisServer();
    const errors: Error[] = [];
    redis = createRedis({ url: server.url, commandTimeoutMs: 1_000, backoff: { maxMs: 50 }, onError: (e) => errors.push(e) }); // 1 s: a busy machine must not time out the first SET
    expect(await redis.set('user:1', 'Ada')).toBe('OK');
    await server.kill();
    await expect(redis.get('user:1')).rejects.toBeInstanceOf(Error);
    expect(errors.length).toBeGreaterThan(0);
  });

  withRedisServer()("quits cleanly: a reply already on its way still arrives, and closeRedis resolves only after the client's 'end' event", async () => {
    server = await startRedisServer();
    redis = createRedis({ url: server.url });
    await redis.ping();
    const pending = redis.set('user:1', 'Ada');
    await closeRedis(redis);
    await expect(pending).resolves.toBe('OK');
    expect(
      redis.status,
      "closeRedis resolved while the client was still closing: quit() resolves when Redis answers OK, and the socket closes a moment later. Wait for the client's 'end' event (redis.once('end', …)), started before quit()",
    ).toBe('end');
  });
});
