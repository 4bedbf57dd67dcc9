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
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { it, type TestFunction } from 'vitest';

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
