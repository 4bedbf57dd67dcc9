/**
 * A throwaway Redis Cluster of a spec's own (3 masters, 3 replicas), for the
 * tests that kill a node. It never touches the shared cluster on 7300-7305:
 * every node listens on a free port of 127.0.0.1, with its cluster bus on
 * another free port, its nodes.conf in a temporary directory, and nothing on
 * disk beyond that.
 *
 *   const cluster = await startRedisCluster({ nodeTimeoutMs: 500 });
 *   try {
 *     const client = new Cluster(cluster.nodes);
 *     await cluster.masters[0].kill();     // SIGKILL: its replica takes over
 *   } finally {
 *     await cluster.stop();                // every process, and the directory
 *   }
 *
 * The slots are assigned with CLUSTER ADDSLOTSRANGE, MEET and REPLICATE, the
 * way `redis-cli --cluster create` does it but without its one-second pauses.
 * Used by the failover spec of lesson 06 and by `npm run bench failover`.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis, type Cluster } from 'ioredis';
import { it, type TestFunction } from 'vitest';
import { backend } from './redis.js';
import { freePort, hasRedisServer, redisServerBinary, startRedisServer, type ThrowawayRedis } from './redis-server.js';

type Test = (name: string, fn: TestFunction, timeout?: number) => void;

/**
 * A test that starts a cluster of its own. It runs with --redis real (the
 * runs that have real Redis servers) when the redis-server binary is there;
 * otherwise it is skipped with a name that says what runs it.
 */
export function withOwnCluster(): Test {
  if (backend === 'real' && hasRedisServer) return (name, fn, timeout) => it(name, fn, timeout);
  const why =
    backend === 'real'
      ? `no ${redisServerBinary} binary to start its own cluster; install Redis (apt install redis-server, brew install redis)`
      : 'starts and kills a Redis Cluster of its own, which the mock cannot be; run with --redis real after npm run redis:up';
  return (name, fn) => it.skip(`${name} [skipped: ${why}]`, fn);
}

export interface ClusterNodeProcess extends ThrowawayRedis {
  /** The node's cluster id (CLUSTER MYID). */
  readonly id: string;
  /** The slots it was given at the start, [first, last]; replicas have none. */
  readonly slots: readonly [number, number] | null;
}

export interface ThrowawayCluster {
  /** Startup nodes for a client: every node, masters first. */
  readonly nodes: Array<{ host: string; port: number }>;
  readonly masters: readonly ClusterNodeProcess[];
  /** replicas[i] replicates masters[i]. */
  readonly replicas: readonly ClusterNodeProcess[];
  /** Kills every node that is still running and removes the temporary directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface ClusterStartOptions {
  /** cluster-node-timeout: how long a node may be silent before it counts as failing. Default 500 ms. */
  nodeTimeoutMs?: number;
  /** Give up when the cluster is not ready after this long. Default 20 s (a busy machine is slow). */
  readyTimeoutMs?: number;
  /** One replica per master (default), or masters only: faster to start, for specs that move slots rather than kill nodes. */
  replicas?: boolean;
}

const SLOTS = 16_384;
const MASTERS = 3;

export async function startRedisCluster({ nodeTimeoutMs = 500, readyTimeoutMs = 20_000, replicas: withReplicas = true }: ClusterStartOptions = {}): Promise<ThrowawayCluster> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cachelings-cluster-'));
  const servers: ThrowawayRedis[] = [];
  const admins: Redis[] = [];
  // If the run is cut short, the servers die with it (redis-server.ts) and so does the directory.
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeDir);
  const stop = async () => {
    admins.splice(0).forEach((admin) => admin.disconnect());
    await Promise.all(servers.splice(0).map((server) => server.kill()));
    await rm(dir, { recursive: true, force: true });
    process.removeListener('exit', removeDir);
  };

  try {
    // All at once: a master turns writable 2 s after it starts (Redis' CLUSTER_WRITABLE_DELAY), so the
    // cluster is ready 2 s after its last node started.
    const started = await Promise.allSettled(
      Array.from({ length: (withReplicas ? 2 : 1) * MASTERS }, async (_, i) =>
        startRedisServer([
          '--cluster-enabled', 'yes',
          '--cluster-config-file', path.join(dir, `nodes-${i}.conf`),
          '--cluster-node-timeout', String(nodeTimeoutMs),
          '--cluster-port', String(await freePort()),
          '--cluster-announce-ip', '127.0.0.1',
          // Any replica may take over, however long it was cut off (a cache loses little).
          '--cluster-replica-validity-factor', '0',
          // Replicas get their first copy at once, without the 5 s wait for more replicas.
          '--repl-diskless-sync', 'yes',
          '--repl-diskless-sync-delay', '0',
          '--dir', dir,
        ]),
      ),
    );
    for (const result of started) if (result.status === 'fulfilled') servers.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    for (const server of servers) {
      const admin = new Redis(server.port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null });
      admin.on('error', () => {});
      admins.push(admin);
    }
    const ids = await Promise.all(admins.map((admin) => admin.call('CLUSTER', 'MYID') as Promise<string>));
    const busPorts = await Promise.all(
      admins.map(async (admin) => Number(((await admin.config('GET', 'cluster-port')) as string[])[1])),
    );

    // Distinct epochs, then slots, then everyone meets everyone through node 0.
    await Promise.all(admins.map((admin, i) => admin.call('CLUSTER', 'SET-CONFIG-EPOCH', String(i + 1))));
    const ranges = Array.from({ length: MASTERS }, (_, i) => {
      const first = Math.floor((i * SLOTS) / MASTERS);
      const last = Math.floor(((i + 1) * SLOTS) / MASTERS) - 1;
      return [first, last] as const;
    });
    await Promise.all(ranges.map(([first, last], i) => admins[i]!.call('CLUSTER', 'ADDSLOTSRANGE', String(first), String(last))));
    for (let i = 1; i < servers.length; i++) {
      await admins[0]!.call('CLUSTER', 'MEET', '127.0.0.1', String(servers[i]!.port), String(busPorts[i]));
    }
    const deadline = Date.now() + readyTimeoutMs;
    await until(deadline, 'every node knows every other', async () =>
      (await Promise.all(admins.map((a) => a.call('CLUSTER', 'NODES') as Promise<string>))).every(
        (nodes) => nodes.trim().split('\n').length === servers.length && !/handshake|noaddr/.test(nodes),
      ),
    );
    for (let i = MASTERS; i < servers.length; i++) await admins[i]!.call('CLUSTER', 'REPLICATE', ids[i - MASTERS]!);
    await until(deadline, 'cluster_state:ok on every node, and every replica in sync', async () => {
      const infos = await Promise.all(admins.map((a) => a.call('CLUSTER', 'INFO') as Promise<string>));
      if (!infos.every((info) => info.includes('cluster_state:ok'))) return false;
      const links = await Promise.all(admins.slice(MASTERS).map((a) => a.info('replication')));
      return links.every((info) => info.includes('master_link_status:up'));
    });

    const node = (i: number): ClusterNodeProcess => ({ ...servers[i]!, id: ids[i]!, slots: i < MASTERS ? ranges[i]! : null });
    const masters = ranges.map((_, i) => node(i));
    const replicas = servers.slice(MASTERS).map((_, i) => node(MASTERS + i));
    admins.splice(0).forEach((admin) => admin.disconnect());
    return {
      nodes: servers.map((server) => ({ host: '127.0.0.1', port: server.port })),
      masters,
      replicas,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Polls `check` every 20 ms until it is true; fails with `what` at the deadline. */
async function until(deadline: number, what: string, check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`the throwaway Redis Cluster is not ready: waited in vain for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface FailoverReport {
  /** From the kill to the first acknowledged write to a slot of the dead master, in ms. */
  windowMs: number;
  /** Operations attempted (on any slot) between the kill and that first write, and how many of them failed. */
  attemptedDuringWindow: number;
  failedDuringWindow: number;
  /** Operations that failed after that first write (a client that recovered has none). */
  failedAfterRecovery: number;
  /** The distinct error messages the loop saw. */
  errors: string[];
  /** Acknowledged writes to the surviving masters' slots whose value is not there afterwards (must be 0). */
  lostOnSurvivors: number;
  acknowledgedOnSurvivors: number;
  /** Writes to the dead master acknowledged before the kill and missing after it: asynchronous replication's price. */
  lostOnDeadMaster: number;
}

export interface FailoverDrillOptions {
  /** Every key the loop writes starts with it. */
  prefix: string;
  /** Pause between two rounds of the loop, ms. Default 10. */
  paceMs?: number;
  /** Rounds before the kill, and after the first write that succeeds again. Default 20 each. */
  rounds?: number;
  /** Give up waiting for recovery after this long. Default 15 s. */
  timeoutMs?: number;
}

/**
 * Reads and writes in a loop through `client`, SIGKILLs masters[0] of the
 * throwaway cluster, and goes on until a write to one of its slots succeeds
 * again; then checks what was acknowledged. Each round writes a new key on
 * each master's slots and reads one back.
 */
export async function killMasterUnderLoad(
  client: Cluster,
  cluster: ThrowawayCluster,
  { prefix, paceMs = 10, rounds = 20, timeoutMs = 15_000 }: FailoverDrillOptions,
): Promise<FailoverReport> {
  const admin = new Redis(cluster.masters[1]!.port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null });
  admin.on('error', () => {});
  // One hash tag in the slots of each master, found by asking the server.
  const tags: string[] = [];
  try {
    for (const master of cluster.masters) {
      const [first, last] = master.slots!;
      for (let i = 0; ; i++) {
        const slot = (await admin.call('CLUSTER', 'KEYSLOT', `t${i}`)) as number;
        if (slot >= first && slot <= last) {
          tags.push(`t${i}`);
          break;
        }
      }
    }
  } finally {
    admin.disconnect();
  }
  const keyOf = (master: number, n: number) => `${prefix}{${tags[master]}}:${n}`;
  const acknowledged = new Map<string, string>(); // survivors' slots
  const beforeKill = new Map<string, string>(); // the dead master's slots
  const errors = new Set<string>();
  let n = 0;

  /** One round: a write to each master's slots, and a read. Returns whether the write to the dead master's slots succeeded. */
  const round = async (count: (ok: boolean) => void): Promise<boolean> => {
    n++;
    const attempt = async (op: () => Promise<unknown>) => {
      try {
        await op();
        count(true);
        return true;
      } catch (error) {
        errors.add((error as Error).message);
        count(false);
        return false;
      }
    };
    const value = String(n);
    const results = await Promise.all([0, 1, 2].map((m) => attempt(() => client.set(keyOf(m, n), value))));
    results.forEach((ok, m) => {
      if (!ok) return;
      if (m === 0) beforeKill.set(keyOf(0, n), value);
      else acknowledged.set(keyOf(m, n), value);
    });
    await attempt(() => client.get(keyOf(1, n - 1)));
    await pause(paceMs);
    return results[0]!;
  };

  for (let i = 0; i < rounds; i++) await round(() => {});
  const deadBefore = new Map(beforeKill);

  await cluster.masters[0]!.kill();
  const killedAt = performance.now();
  let attemptedDuringWindow = 0;
  let failedDuringWindow = 0;
  let recovered = false;
  while (!recovered) {
    if (performance.now() - killedAt > timeoutMs) {
      throw new Error(`no write to the dead master's slots succeeded within ${timeoutMs} ms of the kill; errors seen: ${[...errors].join(' | ')}`);
    }
    recovered = await round((ok) => {
      attemptedDuringWindow++;
      if (!ok) failedDuringWindow++;
    });
  }
  const windowMs = performance.now() - killedAt;

  let failedAfterRecovery = 0;
  for (let i = 0; i < rounds; i++) await round((ok) => (failedAfterRecovery += ok ? 0 : 1));

  let lostOnSurvivors = 0;
  for (const [key, value] of acknowledged) if ((await client.get(key)) !== value) lostOnSurvivors++;
  let lostOnDeadMaster = 0;
  for (const [key, value] of deadBefore) if ((await client.get(key)) !== value) lostOnDeadMaster++;

  return {
    windowMs,
    attemptedDuringWindow,
    failedDuringWindow,
    failedAfterRecovery,
    errors: [...errors],
    lostOnSurvivors,
    acknowledgedOnSurvivors: acknowledged.size,
    lostOnDeadMaster,
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
