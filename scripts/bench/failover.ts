/**
 * Lesson 06: how long a Redis Cluster failover keeps a master's slots away,
 * as a client sees it. Starts a throwaway cluster of its own (3 masters,
 * 3 replicas, cluster-node-timeout 500 ms, on free ports: never the shared
 * cluster on 7300-7305), runs a read/write loop through the reference
 * createCluster, SIGKILLs a master, and reports the window from the kill to
 * the first write that succeeds on that master's slots again, and what failed
 * in it. Three drills; the window depends on cluster-node-timeout and on how
 * busy the machine is.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createCluster } from '../../solutions/06-cluster-sessions/cluster-client.js';
import { killMasterUnderLoad, startRedisCluster } from '../../test/support/redis-cluster.js';
import { redisServerBinary } from '../../test/support/redis-server.js';

export const title = 'Lesson 06: the unavailability window of a cluster failover (own 6-node cluster, node timeout 500 ms)';

const DRILLS = 3;
const NODE_TIMEOUT_MS = 500;

export default async function run(): Promise<void> {
  if (spawnSync(redisServerBinary, ['--version'], { stdio: 'ignore' }).status !== 0) {
    console.log(`  skipped: no ${redisServerBinary} binary (apt install redis-server, brew install redis).`);
    return;
  }
  const windows: number[] = [];
  for (let drill = 1; drill <= DRILLS; drill++) {
    const started = performance.now();
    const cluster = await startRedisCluster({ nodeTimeoutMs: NODE_TIMEOUT_MS });
    const startMs = performance.now() - started;
    const client = createCluster({ nodes: cluster.nodes, onError: () => {} });
    try {
      await once(client, 'ready');
      const report = await killMasterUnderLoad(client, cluster, { prefix: 'bench:failover:' });
      windows.push(report.windowMs);
      console.log(
        `  drill ${drill}: window ${Math.round(report.windowMs)} ms; ${report.failedDuringWindow} of ${report.attemptedDuringWindow} operations failed in it ` +
          `(${report.failedAfterRecovery} after it); acknowledged writes lost: ${report.lostOnSurvivors} of ${report.acknowledgedOnSurvivors} on the surviving masters, ` +
          `${report.lostOnDeadMaster} on the dead one (cluster up in ${Math.round(startMs)} ms)`,
      );
      console.log(`           errors seen: ${report.errors.join(' | ') || 'none'}`);
    } finally {
      client.disconnect();
      await cluster.stop();
    }
  }
  const sorted = [...windows].sort((a, b) => a - b);
  console.log(`  window: median ${Math.round(sorted[Math.floor(sorted.length / 2)]!)} ms, min ${Math.round(sorted[0]!)} ms, max ${Math.round(sorted.at(-1)!)} ms`);
}
