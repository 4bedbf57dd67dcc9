/** What the cluster specs share, core and deep alike: clients that are closed after each test, a cluster that is down, one that must not be used, and the slots a real cluster gives. */
import type { Cluster } from 'ioredis';
import { afterEach } from 'vitest';
import { createCluster } from '@kata/06-cluster-sessions/cluster-client.js';
import { freePort } from '../support/redis-server.js';

/** createCluster, with every client it made disconnected after each test. */
export function useClusterClients(): typeof createCluster {
  const clients: Cluster[] = [];
  afterEach(() => {
    clients.splice(0).forEach((cluster) => cluster.disconnect());
  });
  return (...args) => {
    const cluster = createCluster(...args);
    clients.push(cluster);
    return cluster;
  };
}

/** Addresses where nothing listens: a cluster that is down. */
export const deadNodes = async () => [{ host: '127.0.0.1', port: await freePort() }, { host: '127.0.0.1', port: await freePort() }];

/** A cluster that fails the test if anything is asked of it: for input that must be refused before Redis. */
export const untouchable = new Proxy({} as Cluster, {
  get(_, property) {
    throw new Error(`the cluster was used (${String(property)}) although the input should have been refused first`);
  },
});

/** The slot of each key, asked of a real cluster. */
export async function slotsOf(cluster: Cluster, keys: string[]): Promise<number[]> {
  return Promise.all(keys.map(async (key) => Number(await cluster.call('CLUSTER', 'KEYSLOT', key))));
}
