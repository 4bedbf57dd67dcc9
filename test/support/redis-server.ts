/**
 * A throwaway redis-server of a spec's own, for the tests that kill Redis
 * mid-test. It never touches the shared Redis of the other specs: it listens
 * on a free port of 127.0.0.1, keeps nothing on disk (--save '' --appendonly no)
 * and dies with the test.
 *
 *   const server = await startRedisServer();
 *   const redis = new Redis(server.url, { ... });
 *   await server.kill();      // like a crash: SIGKILL, no goodbye
 *   await server.restart();   // the same port again, empty
 *
 * Declare such tests with withRedisServer(): when the redis-server binary is
 * missing they are skipped, loudly, with what to install.
 *
 * A describe block whose tests share one such server, each with clients of
 * its own, takes useThrowawayRedis(): it starts the server for the first
 * client a test asks for, closes each test's clients after the test, brings
 * the server back if a test left it dead, and kills it after the block.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, afterEach, it, type TestFunction } from 'vitest';

/** The binary to run; REDIS_SERVER_BIN overrides the one on PATH. */
export const redisServerBinary = process.env.REDIS_SERVER_BIN ?? 'redis-server';

export const hasRedisServer = spawnSync(redisServerBinary, ['--version'], { stdio: 'ignore' }).status === 0;

type Test = (name: string, fn: TestFunction, timeout?: number) => void;

/** A test that starts its own redis-server: skipped with a visible reason when the binary is missing. */
export function withRedisServer(): Test {
  if (hasRedisServer) return (name, fn, timeout) => it(name, fn, timeout);
  return (name, fn) =>
    it.skip(
      `${name} [skipped: no ${redisServerBinary} binary; install Redis (apt install redis-server, brew install redis) or set REDIS_SERVER_BIN]`,
      fn,
    );
}

export interface ThrowawayRedis {
  readonly port: number;
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  /** SIGKILL, as a crash or an OOM kill would: clients get no goodbye. Resolves when it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port, with no data (nothing was saved). */
  restart(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

/** @param extraArgs more redis-server options, e.g. ['--cluster-enabled', 'yes'] (see redis-cluster.ts). */
export async function startRedisServer(extraArgs: readonly string[] = []): Promise<ThrowawayRedis> {
  const port = await freePort();
  let child = await spawnReady(port, extraArgs);
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    async restart() {
      await kill();
      child = await spawnReady(port, extraArgs);
    },
  };
}

/** A port nobody listens on right now: the kernel picks one for listen(0). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('could not find a free port');
  return address.port;
}

/** Starts redis-server and resolves once it says it accepts connections (no polling, no sleep). */
async function spawnReady(port: number, extraArgs: readonly string[]): Promise<ChildProcess> {
  const child = spawn(
    redisServerBinary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'notice', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  child.once('exit', () => running.delete(child));

  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server on port ${port} exited (${code}) before it was ready:\n${output}`)));
  });
  // Keep draining without keeping: a full pipe would block a chatty server.
  child.stdout!.removeAllListeners('data').resume();
  child.stderr!.removeAllListeners('data').resume();
  return child;
}

export interface OwnRedis {
  /** The block's server, started by the first connect() of the block (there only after it). */
  readonly server: ThrowawayRedis;
  /**
   * A client of that server (started at the first call), disconnected after
   * the test: it reconnects every 50 ms and fails a command after one retry,
   * so that a spec that kills or restarts the server hears about it at once.
   */
  connect(options?: RedisOptions): Promise<Redis>;
}

/**
 * One throwaway redis-server for the tests of a describe block, started when
 * a test first asks for a client (a test that fails before it costs no
 * server), closed clients after each test, the server killed after the block:
 *
 *   describe('… on a redis-server of its own', () => {
 *     const own = useThrowawayRedis();
 *     withRedisServer()('…', async () => { const redis = await own.connect(); await own.server.restart(); });
 *   });
 */
export function useThrowawayRedis(extraArgs: readonly string[] = []): OwnRedis {
  let starting: Promise<ThrowawayRedis> | undefined;
  let started: ThrowawayRedis | undefined;
  let alive = false;
  const clients: Redis[] = [];
  const running = (): ThrowawayRedis => {
    if (!started) throw new Error('useThrowawayRedis(): no server yet; connect() starts it (in a test declared with withRedisServer())');
    return started;
  };
  const server: ThrowawayRedis = {
    get port() {
      return running().port;
    },
    get url() {
      return running().url;
    },
    async kill() {
      alive = false;
      await running().kill();
    },
    async restart() {
      await running().restart();
      alive = true;
    },
  };
  afterEach(async () => {
    for (const client of clients.splice(0)) client.disconnect();
    if (started && !alive) await server.restart(); // a test that killed it leaves the next one a server
  });
  afterAll(async () => {
    await started?.kill();
  });
  return {
    get server() {
      running();
      return server;
    },
    async connect(options = {}) {
      starting ??= startRedisServer(extraArgs).then((s) => ((started = s), (alive = true), s));
      const { url } = await starting;
      const client = new Redis(url, { retryStrategy: () => 50, maxRetriesPerRequest: 1, ...options });
      client.on('error', () => {}); // a spec that kills the server expects errors; the commands that fail say so
      clients.push(client);
      return client;
    },
  };
}
