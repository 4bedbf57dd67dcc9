import { describe, expect, it, vi } from 'vitest';
import { defaultClusterNodes, parseClusterNodes } from '@kata/06-cluster-sessions/cluster-client.js';
import { expectRefusal } from '../support/refusal.js';
import { deadNodes, useClusterClients } from './cluster-helpers.js';

const make = useClusterClients();

describe('parseClusterNodes (REDIS_CLUSTER_NODES)', () => {
  it('defaults to the six nodes of npm run redis:up, 127.0.0.1:7300 to 7305, when unset or blank', () => {
    const expected = [7300, 7301, 7302, 7303, 7304, 7305].map((port) => ({ host: '127.0.0.1', port }));
    expect(parseClusterNodes(undefined)).toEqual(expected);
    expect(parseClusterNodes('  ')).toEqual(expected);
    expect(defaultClusterNodes).toEqual(expected);
  });

  it('reads "host:port,host:port", spaces allowed', () => {
    expect(parseClusterNodes('10.0.0.5:7000, redis-b:7001')).toEqual([
      { host: '10.0.0.5', port: 7000 },
      { host: 'redis-b', port: 7001 },
    ]);
  });

  it.each(['7000', 'host:', 'host:99999', 'host:0', 'host:70a0', 'a:1,,b:2'])('refuses %j with a RangeError that names REDIS_CLUSTER_NODES', async (value) => {
    await expectRefusal(() => parseClusterNodes(value), RangeError, 'REDIS_CLUSTER_NODES');
  });
});

describe('createCluster', () => {
  it('starts from REDIS_CLUSTER_NODES (the source hard-codes 7000-7002)', async () => {
    const [a, b] = await deadNodes();
    vi.stubEnv('REDIS_CLUSTER_NODES', `${a!.host}:${a!.port},${b!.host}:${b!.port}`);
    const cluster = make({ onError: () => {} });
    expect((cluster as unknown as { startupNodes: unknown }).startupNodes).toEqual([a, b]);
  });

  it('refuses an empty list of startup nodes at the call with a RangeError that names nodes, instead of a client that can never connect', async () => {
    await expectRefusal(() => make({ nodes: [], onError: () => {} }), RangeError, 'nodes');
  });

  it('bounds every command on a node with commandTimeout, and retries a few times, not the default 20', async () => {
    const defaults = make({ nodes: await deadNodes(), onError: () => {} }).options.redisOptions!;
    expect(defaults.commandTimeout).toBeGreaterThan(0);
    expect(defaults.commandTimeout).toBeLessThanOrEqual(2_000);
    expect(defaults.maxRetriesPerRequest).toBeGreaterThanOrEqual(0);
    expect(defaults.maxRetriesPerRequest).toBeLessThan(20);
    const chosen = make({ nodes: await deadNodes(), commandTimeoutMs: 123, maxRetriesPerRequest: 3, onError: () => {} });
    expect(chosen.options.redisOptions).toMatchObject({ commandTimeout: 123, maxRetriesPerRequest: 3 });
  });

  it('reconnects to the cluster with lesson 03\'s retryDelay as its clusterRetryStrategy', async () => {
    const cluster = make({ nodes: await deadNodes(), backoff: { baseMs: 10, maxMs: 1_000, random: () => 0.5 }, onError: () => {} });
    expect(cluster.options.clusterRetryStrategy?.(3)).toBe(20);
    expect(cluster.options.clusterRetryStrategy?.(50)).toBe(500);
  });

  it('reads from masters unless told otherwise, and passes scaleReads and natMap through', async () => {
    expect(make({ nodes: await deadNodes(), onError: () => {} }).options.scaleReads).toBe('master');
    const natMap = { '172.18.0.2:6379': { host: '127.0.0.1', port: 7000 } };
    const cluster = make({ nodes: await deadNodes(), scaleReads: 'slave', natMap, onError: () => {} });
    expect(cluster.options).toMatchObject({ scaleReads: 'slave', natMap });
  });

  it('fails a command at once when no node answers, instead of queueing it until the cluster is back (enableOfflineQueue)', async () => {
    const cluster = make({ nodes: await deadNodes(), onError: () => {} });
    expect(cluster.options.enableOfflineQueue).toBe(false);
    // With the offline queue on, this promise stays pending for as long as the cluster is down.
    await expect(cluster.get('user:1')).rejects.toThrow();
  }, 3_000);

  it('hands connection errors to onError, not to "[ioredis] Unhandled error event"', async () => {
    const seen: Error[] = [];
    const cluster = make({ nodes: await deadNodes(), onError: (error) => seen.push(error) });
    // Wait for the client's first error, not for onError: a client that never calls it fails here at once.
    await new Promise((resolve) => {
      cluster.prependOnceListener('error', resolve);
      cluster.prependOnceListener('node error', resolve);
    });
    await new Promise((resolve) => setImmediate(resolve)); // the other listeners of that event have run
    expect(seen.length).toBeGreaterThan(0);
  }, 3_000);
});
