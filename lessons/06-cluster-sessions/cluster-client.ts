/**
 * Exercise 2 of 6: a client for a Redis Cluster (source 6.1).
 *
 * This is the source's client: three startup nodes written into the code, and
 * every default. It connects, and it looks finished. The README explains the
 * defaults that hang a request when the cluster is down, and the options that
 * matter once there are replicas (scaleReads) and Docker (natMap).
 */
import { Cluster, type NatMap } from 'ioredis';
import type { BackoffOptions } from '../../provided/connection.js';

export interface NodeAddress {
  host: string;
  port: number;
}

/** The source's startup nodes (7000-7002); the cluster of `npm run redis:up` is 127.0.0.1, ports 7300 to 7305. */
export const defaultClusterNodes: readonly NodeAddress[] = [7000, 7001, 7002].map((port) => ({ host: '127.0.0.1', port }));

/** "host:port,host:port" (REDIS_CLUSTER_NODES) as addresses; the default cluster when unset or blank. */
export function parseClusterNodes(value: string | undefined): NodeAddress[] {
  // TODO: split on commas, then on the colon; refuse a bad entry with a RangeError that names it.
  return value === undefined ? [...defaultClusterNodes] : [];
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

export function createCluster(options: CreateClusterOptions = {}): Cluster {
  // TODO: the nodes and options above, each explained in the README.
  void options;
  return new Cluster([
    { host: '127.0.0.1', port: 7000 },
    { host: '127.0.0.1', port: 7001 },
    { host: '127.0.0.1', port: 7002 },
  ]);
}
