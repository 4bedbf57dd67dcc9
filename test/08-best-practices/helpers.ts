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

/** What a scripted Redis holds under one key: MEMORY USAGE (null: gone meanwhile) and PTTL (-1: no TTL, -2: gone). */
export interface ScriptedKey {
  bytes: number | null;
  pttl: number;
}

/**
 * A Redis that answers SCAN, MEMORY USAGE in a pipeline (`call('MEMORY', 'USAGE', key)`
 * or `memory('USAGE', key)`), PTTL, INFO and CONFIG (`call('CONFIG', …)` or
 * `config(…)`; both are recorded as ['call', 'CONFIG', …]) as a real server would, from a script: for what no server does on cue (a key
 * that expires between SCAN and MEMORY USAGE, SCAN returning a key twice) and
 * what ioredis-mock lacks (MEMORY USAGE, CONFIG). It rejects what Redis rejects.
 */
export function scriptedRedis(script: {
  /** SCAN's answer for each cursor: [next cursor, keys]. */
  pages?: Record<string, [string, string[]]>;
  keys?: Record<string, ScriptedKey>;
  info?: string;
}): { redis: Redis; sent: unknown[][]; config: Map<string, string> } {
  const sent: unknown[][] = [];
  const config = new Map([['maxmemory', '0'], ['maxmemory-policy', 'noeviction'], ['maxmemory-samples', '5'], ['maxmemory-eviction-tenacity', '10']]);
  const syntaxError = () => new Error('ERR syntax error');
  const redis = {
    async scan(cursor: string, ...options: unknown[]) {
      sent.push(['scan', cursor, ...options]);
      for (let i = 0; i < options.length; i += 2) {
        if (!['MATCH', 'COUNT'].includes(String(options[i]).toUpperCase()) || options[i + 1] === undefined) throw syntaxError();
      }
      const page = script.pages?.[cursor];
      if (page === undefined) throw new Error('ERR invalid cursor');
      return page;
    },
    pipeline() {
      const queued: Array<() => [Error | null, unknown]> = [];
      const pipeline = {
        call(...args: string[]) {
          sent.push(['call', ...args]);
          const [command, sub, key] = args.map(String);
          queued.push(() =>
            command!.toUpperCase() === 'MEMORY' && sub!.toUpperCase() === 'USAGE'
              ? [null, script.keys?.[key!]?.bytes ?? null]
              : [new Error(`ERR unknown command '${command}'`), null],
          );
          return pipeline;
        },
        memory(...args: string[]) {
          return pipeline.call('MEMORY', ...args);
        },
        pttl(key: string) {
          sent.push(['pttl', key]);
          queued.push(() => [null, script.keys?.[key]?.pttl ?? -2]);
          return pipeline;
        },
        async exec() {
          return queued.map((reply) => reply());
        },
      };
      return pipeline;
    },
    async info(section?: string) {
      sent.push(['info', section]);
      return script.info ?? '';
    },
    async config(sub: string, ...args: string[]) {
      return redis.call('CONFIG', sub, ...args);
    },
    async call(command: string, sub: string, ...args: string[]) {
      sent.push(['call', command, sub, ...args]);
      if (command.toUpperCase() !== 'CONFIG') throw new Error(`ERR unknown command '${command}'`);
      if (sub.toUpperCase() === 'SET') {
        if (args.length === 0 || args.length % 2 !== 0) throw new Error("ERR wrong number of arguments for 'config|set' command");
        const names = args.filter((_, i) => i % 2 === 0).map((name) => String(name).toLowerCase()); // Redis reads names in any case
        for (const name of names) if (!config.has(name)) throw new Error(`ERR Unknown option or number of arguments for CONFIG SET - '${name}'`);
        names.forEach((name, i) => config.set(name, String(args[2 * i + 1])));
        return 'OK';
      }
      if (sub.toUpperCase() === 'GET') {
        const pattern = new RegExp(`^${String(args[0]).toLowerCase().replaceAll('*', '.*')}$`);
        return [...config].filter(([name]) => pattern.test(name)).flat();
      }
      throw syntaxError();
    },
  };
  return { redis: redis as unknown as Redis, sent, config };
}
