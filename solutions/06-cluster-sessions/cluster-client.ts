/**
 * A client for a Redis Cluster (source 6.1), built to keep going when a node
 * dies and to fail fast when the whole cluster is out of reach.
 *
 * The source lists three startup nodes and every default. Two defaults hurt:
 * - enableOfflineQueue (true): while the client has no cluster to talk to,
 *   commands wait in a queue with no timeout. A cluster that never comes back
 *   hangs every request that touches the cache. Off, a command fails at once
 *   and the caller falls back to the origin.
 * - node options: without commandTimeout, a command to a master that just
 *   died waits for the TCP stack to give up, not for 500 ms.
 * The client connects at once (not lazily): without the offline queue,
 * commands sent before the cluster is ready would fail.
 */
import { Cluster, type ClusterOptions, type NatMap } from 'ioredis';
import { retryDelay, type BackoffOptions } from '../../provided/connection.js';

export interface NodeAddress {
  host: string;
  port: number;
}

/** The cluster of `npm run redis:up`: 127.0.0.1, ports 7300 to 7305. */
export const defaultClusterNodes: readonly NodeAddress[] = [7300, 7301, 7302, 7303, 7304, 7305].map((port) => ({
  host: '127.0.0.1',
  port,
}));

/** "host:port,host:port" (REDIS_CLUSTER_NODES) as addresses; the default cluster when unset or blank. */
export function parseClusterNodes(value: string | undefined): NodeAddress[] {
  if (value === undefined || value.trim() === '') return defaultClusterNodes.map((node) => ({ ...node }));
  return value.split(',').map((entry) => {
    const match = /^\s*([^\s:]+):(\d+)\s*$/.exec(entry);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65_535) {
      throw new RangeError(`REDIS_CLUSTER_NODES: "${entry.trim()}" is not host:port (e.g. 127.0.0.1:7000,127.0.0.1:7001)`);
    }
    return { host: match[1]!, port };
  });
}

export interface CreateClusterOptions {
  /** Startup nodes; default: REDIS_CLUSTER_NODES, then 127.0.0.1:7300-7305. The client learns the rest from them. */
  nodes?: NodeAddress[];
  /** How long one command may take on a node before it rejects. */
  commandTimeoutMs?: number;
  /** How many times a command is retried on a node after a lost connection. */
  maxRetriesPerRequest?: number;
  /** The delay between attempts to reach the cluster again (clusterRetryStrategy). */
  backoff?: BackoffOptions;
  /** Where reads go: 'master' (default, always fresh), 'slave' or 'all' (replicas can be behind). */
  scaleReads?: 'master' | 'slave' | 'all';
  /** Maps the addresses the nodes announce to ones this client can reach (a cluster inside Docker). */
  natMap?: NatMap;
  /** Told about connection errors; default: one console.warn per outage. */
  onError?: (error: Error) => void;
}

export function createCluster({
  nodes = parseClusterNodes(process.env.REDIS_CLUSTER_NODES),
  commandTimeoutMs = 500,
  maxRetriesPerRequest = 2,
  backoff = {},
  scaleReads = 'master',
  natMap,
  onError,
}: CreateClusterOptions = {}): Cluster {
  if (nodes.length === 0) throw new RangeError('createCluster: nodes must hold at least one startup node (host and port)');
  const options: ClusterOptions = {
    scaleReads,
    natMap,
    enableOfflineQueue: false,
    clusterRetryStrategy: (times) => retryDelay(times, backoff),
    redisOptions: { connectTimeout: 2_000, commandTimeout: commandTimeoutMs, maxRetriesPerRequest },
  };
  const cluster = new Cluster(nodes, options);
  let warned = false;
  cluster.on('ready', () => (warned = false));
  const report = (error: Error) => {
    if (onError) return onError(error);
    if (!warned) console.warn(`[redis cluster] ${error.message}; the app runs on the database until the cluster is back`);
    warned = true;
  };
  // 'error' is the cluster's own trouble (no node answers); 'node error' is one node's.
  cluster.on('error', report);
  cluster.on('node error', report);
  return cluster;
}
