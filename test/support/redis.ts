/**
 * The one place specs get a Redis from.
 *
 * - mock (default): ioredis-mock, in memory, nothing to install.
 * - real: ioredis to REDIS_URL (default redis://127.0.0.1:6379); the runner sets
 *   CACHELINGS_REDIS=real for `--redis real` and `--redis container`.
 *
 * A learner's own Redis is sacred. Specs never FLUSHDB or FLUSHALL: every key a
 * spec writes is under a prefix unique to this run and this test
 * (`cachelings:test:<run>:<file>:<n>:`), and the prefix is swept after the file.
 */
import { afterAll, afterEach, beforeAll, beforeEach, it, type TestFunction } from 'vitest';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import RedisMock from 'ioredis-mock';
import { clusterNodes as clusterNodesFrom, defaultRedisUrl } from '../../scripts/lib/ports.js';
import { withFaithfulCommands } from './faithful-commands.js';
import { withFaithfulScan } from './faithful-scan.js';

export type BackendName = 'mock' | 'real';

export const backend: BackendName = process.env.CACHELINGS_REDIS === 'real' ? 'real' : 'mock';
export const redisUrl = process.env.REDIS_URL ?? defaultRedisUrl;
/** Where the cluster is: REDIS_CLUSTER_NODES="host:port,host:port", default the ports of `npm run redis:up`. */
export const clusterNodes = clusterNodesFrom();
/** Set by the runner when a real cluster answers (`npm run redis:up` starts one). */
export const hasCluster = backend === 'real' && process.env.CACHELINGS_CLUSTER === '1';

const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
let files = 0;

/** Options a test client wants: fail fast with a clear error instead of retrying forever. */
const testClientOptions: RedisOptions = {
  lazyConnect: true,
  connectTimeout: 2_000,
  maxRetriesPerRequest: 1,
  retryStrategy: (times) => (times > 3 ? null : 100),
};

/**
 * ioredis-mock's clients of one server share an emitter, and each live client
 * (a duplicate() too) listens on it: a spec with a dozen connections, as a dozen
 * processes would have, is not a leak. Allow as many as a spec could sensibly
 * hold, so that Node's MaxListenersExceededWarning stays for real leaks.
 */
const mockClientsAtOnce = 200;

/** A new client on the chosen backend. Prefer useRedis(), which also closes it. */
export function createClient(options: RedisOptions = {}): Redis {
  if (backend === 'mock') {
    const client = new RedisMock(options) as unknown as Redis & { context?: { modifiedKeyEvents?: { setMaxListeners(n: number): void } } };
    client.context?.modifiedKeyEvents?.setMaxListeners(mockClientsAtOnce);
    return withFaithfulCommands(withFaithfulScan(client));
  }
  return new Redis(redisUrl, { ...testClientOptions, ...options });
}

export interface RedisNamespace {
  /** The shared client of this spec file (connected before the first test). */
  readonly redis: Redis;
  /** The prefix of the current test; every key the test writes should start with it. */
  readonly prefix: string;
  /** A key under the current test's prefix: key('user', 1) is '<prefix>user:1'. */
  key(...parts: Array<string | number>): string;
  /** Another connection, as a second process would have; closed after the file. */
  connect(options?: RedisOptions): Promise<Redis>;
}

/**
 * Call once at the top of a spec file (or a describe block):
 *
 *   const ns = useRedis();
 *   it('…', async () => { await ns.redis.set(ns.key('user', 1), '…') });
 */
export function useRedis(): RedisNamespace {
  const filePrefix = `cachelings:test:${runId}:${++files}:`;
  const clients: Redis[] = [];
  let shared: Redis | undefined;
  let prefix = filePrefix;
  let tests = 0;

  const connect = async (options?: RedisOptions): Promise<Redis> => {
    const client = createClient(options);
    clients.push(client);
    if (backend === 'real') {
      // Without this listener a refused connection is an unhandled 'error' event.
      client.on('error', () => {});
      try {
        await client.connect();
      } catch (error) {
        throw new Error(
          `Redis at ${redisUrl} does not answer (${(error as Error).message}). ` +
            'Start one with `npm run redis:up`, set REDIS_URL, or use the default mock backend.',
        );
      }
    }
    return client;
  };

  beforeAll(async () => {
    shared = await connect();
  });
  beforeEach(() => {
    prefix = `${filePrefix}${++tests}:`;
  });
  afterEach(() => {
    prefix = filePrefix;
  });
  afterAll(async () => {
    if (shared) await deleteKeysWithPrefix(shared, filePrefix);
    await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
  });

  return {
    get redis() {
      if (!shared) throw new Error('useRedis(): the client is ready only inside tests and hooks');
      return shared;
    },
    get prefix() {
      return prefix;
    },
    key: (...parts) => `${prefix}${parts.join(':')}`,
    connect,
  };
}

/** Removes exactly the keys under `prefix`, with SCAN (never KEYS) and UNLINK. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let removed = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) removed += await redis.unlink(...keys);
  } while (cursor !== '0');
  return removed;
}

/** Makes a literal string safe inside a SCAN/KEYS pattern. */
export function escapeGlob(literal: string): string {
  return literal.replace(/[*?[\]\\]/g, '\\$&');
}

/** A cluster client to the real cluster; only for tests declared with onCluster(). */
export async function connectCluster(): Promise<Cluster> {
  const cluster = new Cluster(clusterNodes, { redisOptions: { connectTimeout: 2_000 } });
  cluster.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    cluster.once('ready', resolve);
    cluster.once('end', () => reject(new Error(`Redis Cluster at ${clusterNodes[0]?.port} did not answer`)));
  });
  return cluster;
}

type Test = (name: string, fn: TestFunction, timeout?: number) => void;

/**
 * A test that needs something ioredis-mock cannot do. On the mock backend it is
 * skipped, loudly: its name says why and how to run it.
 *
 *   onRealRedis('ioredis-mock has no XREADGROUP')('recovers a dead consumer', async () => …)
 */
export function onRealRedis(why: string): Test {
  if (backend === 'real') return (name, fn, timeout) => it(name, fn, timeout);
  return (name, fn) => it.skip(`${name} [skipped on ioredis-mock: ${why}; run with --redis real]`, fn);
}

/** A test that needs a real Redis Cluster (ioredis-mock's Cluster is a stub without slots). */
export function onCluster(why = 'needs a real Redis Cluster'): Test {
  if (hasCluster) return (name, fn, timeout) => it(name, fn, timeout);
  const how = backend === 'real' ? 'start one with npm run redis:up' : 'run with --redis real after npm run redis:up';
  return (name, fn) => it.skip(`${name} [skipped: ${why}; ${how}]`, fn);
}

/** Removes exactly the keys under `prefix` from every master of the cluster, one UNLINK per key (keys live in many slots). */
export async function deleteClusterKeysWithPrefix(cluster: Cluster, prefix: string): Promise<number> {
  let removed = 0;
  for (const node of cluster.nodes('master')) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) removed += await node.unlink(key);
    } while (cursor !== '0');
  }
  return removed;
}

/**
 * The shared real cluster for a spec file's onCluster() tests, next to its
 * useRedis() namespace: connected before the file, and every key under the
 * file's prefix removed from every master after it.
 *
 *   const ns = useRedis();
 *   const shared = useCluster(ns);
 *   onCluster()('…', async () => { await shared.cluster.set(ns.key('a'), '1') });
 */
export function useCluster(ns: RedisNamespace): { readonly cluster: Cluster } {
  let cluster: Cluster | undefined;
  beforeAll(async () => {
    if (hasCluster) cluster = await connectCluster();
  });
  afterAll(async () => {
    if (!cluster) return;
    await deleteClusterKeysWithPrefix(cluster, ns.prefix); // outside a test: the file's prefix
    cluster.disconnect();
  });
  return {
    get cluster() {
      if (!cluster) throw new Error('useCluster(): the cluster is there only inside onCluster() tests');
      return cluster;
    },
  };
}
