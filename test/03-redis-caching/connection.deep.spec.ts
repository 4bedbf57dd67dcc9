import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { closeRedis, createRedis } from '@kata/03-redis-caching/connection.js';
import { startRedisServer, withRedisServer, type ThrowawayRedis } from '../support/redis-server.js';

describe('createRedis without onError: one warning per outage', () => {
  it('warns once however many reconnects fail, and again after Redis was back ("ready") and went away', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const redis = createRedis({ url: 'redis://127.0.0.1:1' });
    try {
      for (let i = 0; i < 5; i++) redis.emit('error', new Error('connect ECONNREFUSED'));
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/connect ECONNREFUSED/));
      redis.emit('ready');
      redis.emit('error', new Error('read ECONNRESET'));
      redis.emit('error', new Error('read ECONNRESET'));
      expect(warn).toHaveBeenCalledTimes(2);
      expect(warn).toHaveBeenLastCalledWith(expect.stringMatching(/read ECONNRESET/));
    } finally {
      redis.disconnect();
    }
  });

  it('hands every error to onError when one is given, and warns for none of them', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const onError = vi.fn();
    const redis = createRedis({ url: 'redis://127.0.0.1:1', onError });
    try {
      redis.emit('error', new Error('one'));
      redis.emit('error', new Error('two'));
      expect(onError.mock.calls.map(([error]) => (error as Error).message)).toEqual(['one', 'two']);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      redis.disconnect();
    }
  });
});

describe('a client from createRedis when its redis-server goes away', () => {
  let server: ThrowawayRedis | undefined;
  let redis: Redis | undefined;
  afterEach(async () => {
    redis?.disconnect();
    await server?.kill();
  });

  withRedisServer()('reconnects by itself when the server is back', async () => {
    server = await startRedisServer();
    redis = createRedis({ url: server.url, backoff: { maxMs: 50 }, onError: () => {} });
    await redis.ping();
    // Not events.once(): it rejects on the 'error' events of the failed reconnects.
    const ready = new Promise((resolve) => redis!.once('ready', resolve));
    await server.restart();
    await ready;
    expect(await redis.ping()).toBe('PONG');
  });

  withRedisServer()('ends the client even when QUIT itself fails (it disconnects instead)', async () => {
    server = await startRedisServer();
    redis = createRedis({ url: server.url, onError: () => {} });
    await redis.ping();
    vi.spyOn(redis, 'quit').mockRejectedValueOnce(new Error('Connection is closed.'));
    await closeRedis(redis);
    expect(redis.status).toBe('end');
  });

  withRedisServer()('quits after a blocked command has its answer (a dropped connection would lose it: Redis frees a client whose socket closes)', async () => {
    server = await startRedisServer();
    redis = createRedis({ url: server.url, onError: () => {} });
    await redis.ping();
    const blocked = redis.blpop('queue', 0.2);
    await closeRedis(redis);
    await expect(blocked).resolves.toBeNull();
    expect(redis.status).toBe('end');
  });

  withRedisServer()('ends a client that is waiting to reconnect: it emits end, leaves no timer behind, and the next command fails at once', async () => {
    server = await startRedisServer();
    redis = createRedis({ url: server.url, backoff: { baseMs: 1_000, maxMs: 1_000, random: () => 1 }, onError: () => {} });
    await redis.ping();
    const reconnecting = new Promise((resolve) => redis!.once('reconnecting', resolve));
    await server.kill();
    await reconnecting;
    const ended = vi.fn();
    redis.once('end', ended);
    const left = await timersLeftBy(() => closeRedis(redis!));
    expect(redis.status, 'disconnect() on a reconnecting client cancels its retry and leaves it reconnecting: it never emits end').toBe('end');
    expect(ended).toHaveBeenCalledOnce();
    expect(left, 'a timer closeRedis left running keeps the process alive after shutdown').toBe(0);
    const started = Date.now();
    await expect(redis.get('user:1')).rejects.toThrow('Connection is closed');
    expect(Date.now() - started).toBeLessThan(200);
  });

  withRedisServer()('ends a client that is still connecting, and one that has ended already', async () => {
    server = await startRedisServer();
    redis = createRedis({ url: server.url, onError: () => {} });
    redis.connect().catch(() => {});
    expect(redis.status).toBe('connecting');
    await closeRedis(redis);
    expect(redis.status).toBe('end');
    await closeRedis(redis); // again: nothing to do, and it resolves
    expect(redis.status).toBe('end');
  });
});

/** How many of the timers that run() started are still pending once it has resolved (and a turn of the event loop has passed). */
async function timersLeftBy(run: () => Promise<unknown>): Promise<number> {
  const pending = new Set<unknown>();
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  const set = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer = realSet(() => {
      pending.delete(timer);
      fn(...args);
    }, ms);
    pending.add(timer);
    return timer;
  }) as typeof setTimeout);
  const clear = vi.spyOn(globalThis, 'clearTimeout').mockImplementation((timer) => {
    pending.delete(timer);
    realClear(timer);
  });
  try {
    await run();
    await new Promise((resolve) => setImmediate(resolve));
    return pending.size;
  } finally {
    set.mockRestore();
    clear.mockRestore();
    for (const timer of pending) realClear(timer as NodeJS.Timeout);
  }
}
