/**
 * No Docker engine runs in CI, so docker-compose.yml is never started there.
 * These specs at least keep it in step with the local script and the specs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ports } from '../../scripts/lib/ports.js';
import { root } from '../../scripts/lib/vitest-config.js';
import { clusterNodes } from '../support/redis.js';

interface Service {
  image: string;
  command?: string[];
  ports?: string[];
  profiles?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
}
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const localScript = readFileSync(path.join(root, 'scripts', 'redis-local.sh'), 'utf8');

describe('docker-compose.yml', () => {
  it('publishes a Redis on the port the specs and scripts use', () => {
    const redis = compose.services.redis!;
    expect(redis.ports).toContain(`${ports.redis}:${ports.redis}`);
    expect(localScript).toContain(`REDIS_PORT=\${REDIS_PORT:-${ports.redis}}`);
  });

  it('has a cluster profile whose six node ports are the ones the local script and the specs use', () => {
    const cluster = compose.services['redis-cluster']!;
    expect(cluster.profiles).toEqual(['cluster']);
    expect(ports.cluster).toHaveLength(6);
    const first = ports.cluster[0];
    const last = ports.cluster[5];
    expect(cluster.ports).toContain(`${first}-${last}:${first}-${last}`);
    expect(cluster.environment?.CLUSTER_PORTS).toBe(ports.cluster.join(' '));
    expect(localScript).toContain(`CLUSTER_PORTS=\${CLUSTER_PORTS:-"${ports.cluster.join(' ')}"}`);
    expect(clusterNodes.map((n) => n.port)).toEqual([...ports.cluster]);
  });

  it('announces 127.0.0.1 so that a client on the host can follow MOVED redirects', () => {
    const cluster = compose.services['redis-cluster']!;
    expect(cluster.environment?.ANNOUNCE_IP).toBe('127.0.0.1');
    expect(cluster.environment?.BIND).toBe('0.0.0.0'); // reachable through the published ports
  });

  it('runs the cluster with the same script as npm run redis:up without Docker', () => {
    const cluster = compose.services['redis-cluster']!;
    expect(cluster.volumes).toContain('./scripts/redis-local.sh:/cachelings/redis-local.sh:ro');
    expect(cluster.command).toEqual(['sh', '/cachelings/redis-local.sh', 'cluster-foreground']);
  });

  it('keeps nothing on disk', () => {
    expect(compose.services.redis!.command).toEqual(['redis-server', '--save', '', '--appendonly', 'no']);
    expect(localScript).toContain("--save '' --appendonly no");
  });
});
