/**
 * Redis and the 6-node cluster of `npm run redis:up` from local binaries, in
 * Node: no `sh`, so the same code runs on Linux, macOS and Windows (a Windows
 * build of Redis, Memurai's memurai.exe, or Valkey). It keeps the layout of
 * scripts/redis-local.sh (which the Compose cluster service still runs inside
 * its Linux container): one folder per port under .cachelings/redis/, with
 * redis.pid, redis.log and the node's nodes.conf, so either one stops what the
 * other started.
 *
 * The cluster is formed with CLUSTER ADDSLOTS, MEET and REPLICATE, as
 * `redis-cli --cluster create` does, so redis-cli is not needed either.
 * Nothing is kept on disk (--save '' --appendonly no): these are caches for exercises.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { stateDir } from './state.js';

/** Where the servers keep their pid, log and nodes.conf: the folder redis-local.sh uses too. */
export const redisStateDir = () => process.env.CACHELINGS_REDIS_DIR ?? path.join(stateDir, 'redis');

/** An executable on PATH (with PATHEXT on Windows), or null. */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform): string | null {
  const exts = platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').map((e) => e.toLowerCase())] : [''];
  for (const dir of (env.PATH ?? env.Path ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const full = path.join(dir, name + ext);
      try {
        if (statSync(full).isFile()) return full;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/**
 * The server binary: REDIS_SERVER_BIN (a path or a name), else redis-server,
 * valkey-server or Memurai's memurai on PATH; null when there is none.
 */
export function redisServerBinary(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string | null {
  const chosen = env.REDIS_SERVER_BIN?.trim();
  if (chosen) return existsSync(chosen) ? chosen : onPath(chosen, env, platform);
  for (const name of ['redis-server', 'valkey-server', 'memurai']) {
    const found = onPath(name, env, platform);
    if (found) return found;
  }
  return null;
}

/**
 * What to install to get a Redis here, for this system, in a few lines. Redis
 * has no Windows build of its own: Docker Desktop, WSL 2 or Memurai.
 */
export function installAdvice(platform = process.platform): string {
  if (platform === 'win32') {
    return [
      '  Redis itself does not run on Windows. Any one of these works:',
      '  - Docker Desktop (https://www.docker.com/products/docker-desktop/): start it, then npm run redis:up again (it uses Compose);',
      '  - WSL 2: wsl --install, then in its Ubuntu: sudo apt-get install redis-server, and work on the kata from there',
      '    (Node and a clone inside WSL, e.g. ~/cachelings); npm run redis:up then starts those binaries;',
      '  - Memurai Developer (https://www.memurai.com/get-memurai: a Redis 7 compatible server for Windows, free for',
      '    development): npm run redis:up starts its memurai.exe as it would redis-server; not on PATH? Set',
      "    $env:REDIS_SERVER_BIN='C:\\Program Files\\Memurai\\memurai.exe' (PowerShell) for the session.",
    ].join('\n');
  }
  const install = platform === 'darwin' ? 'brew install redis' : 'sudo apt-get install redis-server';
  return `  install Redis:  ${install}\n  or Docker with Compose (Docker Desktop; or docker.io with docker-compose-plugin or docker-compose)`;
}

async function answers(port: number): Promise<boolean> {
  const client = new Redis(port, '127.0.0.1', { lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Starts one server in the background (it outlives this command), records its pid, and waits until it answers. */
export async function startServer(binary: string, port: number, extra: string[] = []): Promise<void> {
  const dir = path.join(redisStateDir(), String(port));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const log = path.join(dir, 'redis.log');
  const out = openSync(log, 'a');
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'no', '--save', '', '--appendonly', 'no', '--dir', dir, ...extra],
    { cwd: dir, detached: true, stdio: ['ignore', out, out], windowsHide: true },
  );
  let exited: string | null = null;
  child.once('error', (error) => (exited = error.message));
  child.once('exit', (code, signal) => (exited = `exit ${code ?? signal}`));
  child.unref();
  if (child.pid !== undefined) writeFileSync(path.join(dir, 'redis.pid'), `${child.pid}\n`);
  for (let i = 0; i < 200; i++) {
    if (await answers(port)) return;
    if (exited) break;
    await sleep(50);
  }
  const tail = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-5).join('\n  ') : '';
  throw new Error(`${path.basename(binary)} on port ${port} did not start (${exited ?? 'no answer within 10 s'}); its log, ${log}:\n  ${tail}`);
}

/** The single Redis, unless one already answers on the port. */
export async function startRedis(binary: string, port: number): Promise<'started' | 'already there'> {
  if (await answers(port)) return 'already there';
  await startServer(binary, port);
  return 'started';
}

const SLOTS = 16_384;

/** Six servers in cluster mode, then a cluster of them: 3 masters with 3 replicas, announcing 127.0.0.1. */
export async function startCluster(binary: string, ports: number[], { readyTimeoutMs = 30_000 } = {}): Promise<void> {
  for (const port of ports) {
    if (await answers(port)) throw new Error(`something already answers on ${port}, but it is not a healthy cluster; stop it first (npm run redis:down)`);
  }
  for (const port of ports) {
    await startServer(binary, port, ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000', '--cluster-announce-ip', '127.0.0.1']);
  }
  const admins = ports.map((port) => {
    const admin = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1, retryStrategy: () => null });
    admin.on('error', () => {});
    return admin;
  });
  try {
    const masters = ports.length / 2;
    const ids = await Promise.all(admins.map((a) => a.call('CLUSTER', 'MYID') as Promise<string>));
    await Promise.all(admins.map((a, i) => a.call('CLUSTER', 'SET-CONFIG-EPOCH', String(i + 1))));
    for (let m = 0; m < masters; m++) {
      const first = Math.floor((m * SLOTS) / masters);
      const last = Math.floor(((m + 1) * SLOTS) / masters) - 1;
      // ADDSLOTS, not ADDSLOTSRANGE: the range form needs Redis 7, and a Windows build may be older.
      await admins[m]!.call('CLUSTER', 'ADDSLOTS', ...Array.from({ length: last - first + 1 }, (_, i) => String(first + i)));
    }
    for (const port of ports.slice(1)) await admins[0]!.call('CLUSTER', 'MEET', '127.0.0.1', String(port));
    const deadline = Date.now() + readyTimeoutMs;
    const until = async (what: string, check: () => Promise<boolean>) => {
      while (!(await check().catch(() => false))) {
        if (Date.now() > deadline) throw new Error(`the cluster is not ready: waited in vain for ${what} (logs in ${redisStateDir()})`);
        await sleep(50);
      }
    };
    await until('every node to know all six', async () =>
      (await Promise.all(admins.map((a) => a.call('CLUSTER', 'NODES') as Promise<string>))).every(
        (nodes) => nodes.trim().split('\n').length === ports.length && !/handshake|noaddr/.test(nodes),
      ),
    );
    for (let r = 0; r < masters; r++) await admins[masters + r]!.call('CLUSTER', 'REPLICATE', ids[r]!);
    await until('cluster_state:ok on every node, and every node to see the three replicas', async () => {
      const infos = await Promise.all(admins.map((a) => a.call('CLUSTER', 'INFO') as Promise<string>));
      const views = await Promise.all(admins.map((a) => a.call('CLUSTER', 'NODES') as Promise<string>));
      return infos.every((info) => info.includes('cluster_state:ok')) && views.every((v) => v.trim().split('\n').filter((line) => line.split(' ')[2]?.includes('slave')).length === masters);
    });
    await until('every replica in sync with its master', async () =>
      (await Promise.all(admins.slice(masters).map((a) => a.info('replication')))).every((info) => info.includes('master_link_status:up')),
    );
  } finally {
    admins.forEach((a) => a.disconnect());
  }
}

/** Stops the servers this code (or redis-local.sh) started on these ports, and nothing else. Returns how many. */
export async function stopLocal(ports: number[]): Promise<number> {
  let stopped = 0;
  for (const port of ports) {
    const dir = path.join(redisStateDir(), String(port));
    const pidFile = path.join(dir, 'redis.pid');
    if (!existsSync(pidFile)) continue;
    const client = new Redis(port, '127.0.0.1', { lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.call('SHUTDOWN', 'NOSAVE').catch(() => {}); // the connection closing is the answer
    } catch {
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8').trim()));
      } catch {
        // already gone
      }
    } finally {
      client.disconnect();
    }
    rmSync(dir, { recursive: true, force: true });
    stopped++;
  }
  return stopped;
}
