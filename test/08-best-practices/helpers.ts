/**
 * What the lesson 08 specs share: a redis-server of the spec's own (the only
 * place CONFIG SET, maxmemory, INFO counters and restarts may happen), INFO
 * text captured from a real server, and a client that must not be called.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { it, type TestFunction } from 'vitest';
import { backend } from '../support/redis.js';
import { hasRedisServer, redisServerBinary, startRedisServer, type ThrowawayRedis } from '../support/redis-server.js';

type Test = (name: string, fn: TestFunction, timeout?: number) => void;

/**
 * A test that changes a server (CONFIG SET, maxmemory, a restart) or needs its
 * INFO counters to move: it runs on a redis-server it starts itself on a free
 * port, never on yours. Skipped on the mock, loudly, with how to run it.
 */
export function onOwnServer(why: string): Test {
  if (backend !== 'real') {
    return (name, fn) => it.skip(`${name} [skipped on ioredis-mock: ${why}; run with --redis real (it starts its own redis-server)]`, fn);
  }
  if (!hasRedisServer) {
    return (name, fn) => it.skip(`${name} [skipped: needs the ${redisServerBinary} binary to start a server of its own; apt install redis-server, brew install redis, or set REDIS_SERVER_BIN]`, fn);
  }
  return (name, fn, timeout = 30_000) => it(name, fn, timeout);
}

export interface OwnServer extends ThrowawayRedis {
  redis: Redis;
  close(): Promise<void>;
}

/** A fresh redis-server and a client on it that fails fast while the server is away. */
export async function ownServer(): Promise<OwnServer> {
  const server = await startRedisServer();
  const redis = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', () => {});
  await redis.connect();
  return {
    ...server,
    redis,
    async close() {
      redis.disconnect();
      await server.kill();
    },
  };
}

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** INFO text as a real redis-server 7.0 sent it (\r\n and all); see fixtures/README.md. */
export function infoFixture(name: 'fresh' | 'after-6-reads' | 'evicting' | 'restarted'): string {
  return readFileSync(path.join(fixtures, `info-${name}.txt`), 'utf8');
}

/** A Redis client that records every property touched: for "refuses bad input before sending anything". */
export function untouchable(): { redis: Redis; touched: string[] } {
  const touched: string[] = [];
  const redis = new Proxy({} as Redis, {
    get(_, property) {
      touched.push(String(property));
      return () => Promise.reject(new Error(`Redis was called (${String(property)}) before the input was checked`));
    },
  });
  return { redis, touched };
}
