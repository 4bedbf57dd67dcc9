import { afterEach, it, type TestFunction } from 'vitest';
import type { Redis, RedisOptions } from 'ioredis';
import { backend, redisUrl, type RedisNamespace } from '../support/redis.js';
import { hasRedisServer, redisServerBinary, useThrowawayRedis, type OwnRedis } from '../support/redis-server.js';

type Test = (name: string, fn: TestFunction, timeout?: number) => void;

/**
 * Where the client-side caching specs run: ioredis-mock has no CLIENT command,
 * so on a redis-server of their own when the binary is installed (on every
 * backend), else on the shared server with --redis real, else they are
 * skipped with a line that says what runs them. Clients close after each test.
 */
export interface TrackingServer {
  readonly test: Test;
  /** A plain client, for "someone else" and for CLIENT LIST / KILL. */
  connect(options?: RedisOptions): Promise<Redis>;
  key(...parts: Array<string | number>): string;
  url(): string;
  /** The redis-server of its own, for the specs that restart it (only when there is one). */
  readonly own?: OwnRedis;
}

export function useTrackingServer(ns: RedisNamespace): TrackingServer {
  const own = hasRedisServer ? useThrowawayRedis() : undefined;
  const shared: Redis[] = [];
  afterEach(() => {
    for (const client of shared.splice(0)) client.disconnect();
  });
  let tests = 0;
  afterEach(() => void tests++);
  const runs = own !== undefined || backend === 'real';
  return {
    test: runs
      ? (name, fn, timeout) => it(name, fn, timeout)
      : (name, fn) =>
          it.skip(`${name} [skipped: client-side caching needs a real server: install redis-server (apt install redis-server, brew install redis; or set REDIS_SERVER_BIN, now ${redisServerBinary}), or run with --redis real]`, fn),
    async connect(options) {
      if (own) return await own.connect(options);
      const client = await ns.connect(options);
      shared.push(client);
      return client;
    },
    key: (...parts) => (own ? `t${tests}:${parts.join(':')}` : ns.key(...parts)),
    url: () => (own ? own.server.url : redisUrl),
    own,
  };
}

/** The id of the connection with this name, from CLIENT LIST. */
export async function clientIdByName(admin: Redis, name: string): Promise<string> {
  const line = String(await admin.call('CLIENT', 'LIST')).split('\n').find((l) => l.includes(` name=${name} `));
  const id = line?.match(/id=(\d+)/)?.[1];
  if (id === undefined) throw new Error(`no connection named ${name} in CLIENT LIST`);
  return id;
}

/** CLIENT TRACKINGINFO of a connection, as an object: { flags, redirect, prefixes }. */
export async function trackingInfo(redis: Redis): Promise<{ flags: string[]; redirect: number }> {
  const info = (await redis.call('CLIENT', 'TRACKINGINFO')) as unknown[];
  return { flags: info[info.indexOf('flags') + 1] as string[], redirect: Number(info[info.indexOf('redirect') + 1]) };
}

/** Redis before 6, as the cache sees it: CLIENT TRACKING is an unknown subcommand. */
export function withoutClientCommand(redis: Redis): Redis {
  return new Proxy(redis, {
    get(target, property) {
      if (property === 'client') return () => Promise.reject(new Error("ERR unknown subcommand 'TRACKING'"));
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
