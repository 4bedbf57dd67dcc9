/**
 * The compose files, kept in step with the local script, the ports the specs use
 * and each other. CI's container stage (scripts/ci/container-stage.sh) starts
 * them for real on a Docker engine; these specs catch drift on every npm test.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { composeFileFor, defaultRedisImage, dockerEngineProblem, engineHasBridge, findCompose } from '../../scripts/lib/docker.js';
import { clusterNodes, clusterPortsFrom, defaultPorts, portFrom, ports } from '../../scripts/lib/ports.js';
import { root } from '../../scripts/lib/vitest-config.js';

interface Service {
  image: string;
  command?: string[];
  ports?: string[];
  profiles?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  network_mode?: string;
  healthcheck?: { test: string[] };
}
type ComposeFile = { services: Record<string, Service> };
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const compose = parse(read('docker-compose.yml')) as ComposeFile;
const hostCompose = parse(read('docker-compose.host.yml')) as ComposeFile;
const localScript = read('scripts/redis-local.sh');

const redisPort = `\${CACHELINGS_REDIS_PORT:-${defaultPorts.redis}}`;
const clusterPorts = `\${CACHELINGS_CLUSTER_PORTS:-${defaultPorts.cluster}}`;
const image = `\${CACHELINGS_REDIS_IMAGE:-${defaultRedisImage}}`;

describe('docker-compose.yml', () => {
  it('publishes the Redis on CACHELINGS_REDIS_PORT (default 6379), where the server itself listens and is health-checked', () => {
    const redis = compose.services.redis!;
    expect(defaultPorts.redis).toBe(6379);
    expect(redis.ports).toEqual([`${redisPort}:${redisPort}`]);
    expect(redis.command?.slice(0, 3)).toEqual(['redis-server', '--port', redisPort]);
    expect(redis.healthcheck?.test).toEqual(['CMD', 'redis-cli', '-p', redisPort, 'ping']);
    expect(localScript).toContain(`REDIS_PORT=\${REDIS_PORT:-${defaultPorts.redis}}`);
  });

  it('has a cluster profile on CACHELINGS_CLUSTER_PORTS (default 7300-7305), the six ports of the local script and the specs', () => {
    const cluster = compose.services['redis-cluster']!;
    expect(cluster.profiles).toEqual(['cluster']);
    expect(cluster.ports).toEqual([`${clusterPorts}:${clusterPorts}`]);
    expect(cluster.environment?.CLUSTER_PORTS).toBe(clusterPorts);
    const defaults = clusterPortsFrom(defaultPorts.cluster);
    expect(defaults).toEqual([7300, 7301, 7302, 7303, 7304, 7305]);
    expect(localScript).toContain(`CLUSTER_PORTS=\${CLUSTER_PORTS:-"${defaults.join(' ')}"}`);
    expect(clusterNodes(undefined).map((n) => n.port)).toEqual(ports.cluster);
  });

  it('takes its image from CACHELINGS_REDIS_IMAGE, default the official image, for both services', () => {
    expect(defaultRedisImage).toBe('redis:7.4-alpine');
    expect(compose.services.redis!.image).toBe(image);
    expect(compose.services['redis-cluster']!.image).toBe(image);
  });

  it('turns protected mode off, which only the official image does by itself, so that a published port answers', () => {
    expect(compose.services.redis!.command).toEqual(expect.arrayContaining(['--protected-mode', 'no']));
    expect(localScript).toContain('--protected-mode no');
  });

  it('announces 127.0.0.1 so that a client on the host can follow MOVED redirects', () => {
    const cluster = compose.services['redis-cluster']!;
    expect(cluster.environment?.ANNOUNCE_IP).toBe('127.0.0.1');
    expect(cluster.environment?.BIND).toBe('0.0.0.0'); // reachable through the published ports
  });

  it('runs and health-checks the cluster with the same script as npm run redis:up without Docker', () => {
    const cluster = compose.services['redis-cluster']!;
    expect(cluster.volumes).toContain('./scripts/redis-local.sh:/cachelings/redis-local.sh:ro');
    expect(cluster.command).toEqual(['sh', '/cachelings/redis-local.sh', 'cluster-foreground']);
    expect(cluster.healthcheck?.test).toEqual(['CMD', 'sh', '/cachelings/redis-local.sh', 'cluster-check']);
    expect(localScript).toMatch(/^\s+cluster-check\)/m);
  });

  it('keeps nothing on disk', () => {
    expect(compose.services.redis!.command?.slice(-4)).toEqual(['--save', '', '--appendonly', 'no']);
    expect(localScript).toContain("--save '' --appendonly no");
  });
});

describe('docker-compose.host.yml (for an engine without a bridge network)', () => {
  it('is docker-compose.yml on the host network: no published ports, and every server bound to 127.0.0.1 only', () => {
    const expected = structuredClone(compose);
    for (const service of Object.values(expected.services)) {
      delete service.ports;
      service.network_mode = 'host';
    }
    const redis = expected.services.redis!;
    redis.command = [...redis.command!.slice(0, 3), '--bind', '127.0.0.1', ...redis.command!.slice(3)];
    expected.services['redis-cluster']!.environment!.BIND = '127.0.0.1';
    expect(hostCompose).toEqual(expected);
  });

  it('is the file redis:up takes exactly when the engine has no bridge network', () => {
    expect(composeFileFor(true)).toBe('docker-compose.yml');
    expect(composeFileFor(false)).toBe('docker-compose.host.yml');
  });
});

describe('moving the ports (CACHELINGS_REDIS_PORT, CACHELINGS_CLUSTER_PORTS)', () => {
  it('takes a port from the variable, and the default when it is unset or empty', () => {
    expect(portFrom('CACHELINGS_REDIS_PORT', '6390', 6379)).toBe(6390);
    expect(portFrom('CACHELINGS_REDIS_PORT', undefined, 6379)).toBe(6379);
    expect(portFrom('CACHELINGS_REDIS_PORT', ' ', 6379)).toBe(6379);
  });

  it.each(['0', '65536', '6379.5', 'redis', '-1'])('refuses %s as a port, naming the variable', (value) => {
    expect(() => portFrom('CACHELINGS_REDIS_PORT', value, 6379)).toThrow(/CACHELINGS_REDIS_PORT=.* is not a TCP port/);
  });

  it('reads a cluster range as six consecutive ports', () => {
    expect(clusterPortsFrom('7100-7105')).toEqual([7100, 7101, 7102, 7103, 7104, 7105]);
  });

  it.each(['7100-7104', '7100-7106', '7105-7100', '7100', '7100,7101', 'a-b', '60000-60005'])(
    'refuses the cluster range %s: six consecutive ports whose bus ports (+10000) exist',
    (range) => {
      expect(() => clusterPortsFrom(range)).toThrow(/six consecutive ports/);
    },
  );

  it('points the specs at the moved cluster unless REDIS_CLUSTER_NODES names one', () => {
    expect(clusterNodes('10.0.0.1:7000,:7001')).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: '127.0.0.1', port: 7001 },
    ]);
  });
});

/** A fake `docker` / `docker-compose`: answers what `answers` has for "command args…", fails otherwise. */
function machine(answers: Record<string, string>) {
  return (command: string, args: string[]) => {
    const out = answers[[command, ...args].join(' ')];
    if (out !== undefined) return { status: 0, stdout: `${out}\n`, stderr: '' };
    if (!Object.keys(answers).some((k) => k.startsWith(`${command} `)))
      return { status: null, stdout: '', stderr: `spawnSync ${command} ENOENT` };
    return { status: 1, stdout: '', stderr: `${command}: '${args[0]}' is not a ${command} command.\n` };
  };
}

describe('choosing a Compose (npm run redis:up, npm run doctor)', () => {
  const engine = { 'docker info --format {{.ServerVersion}}': '20.10.24', 'docker network inspect bridge --format {{.Name}}': 'bridge' };

  it('prefers the docker compose plugin (v2) when it is installed', () => {
    const compose = findCompose(machine({ ...engine, 'docker compose version --short': '2.29.7', 'docker-compose version --short': '1.29.2' }));
    expect(compose).toEqual({ command: ['docker', 'compose'], version: '2.29.7', label: 'docker compose 2.29.7' });
  });

  it('falls back to docker-compose v1 (Debian\'s docker-compose package) when the plugin is missing', () => {
    const compose = findCompose(machine({ ...engine, 'docker-compose version --short': '1.29.2' }));
    expect(compose).toEqual({ command: ['docker-compose'], version: '1.29.2', label: 'docker-compose 1.29.2 (v1)' });
  });

  it('finds no Compose when neither is installed, so that redis:up can use the local binaries', () => {
    expect(findCompose(machine(engine))).toBeNull();
  });

  it('says why no engine answers, in one line, and null when one does', () => {
    expect(dockerEngineProblem(machine(engine))).toBeNull();
    expect(dockerEngineProblem(machine({}))).toBe('the docker command is not installed');
    const down = (command: string, args: string[]) =>
      command === 'docker' && args[0] === 'info'
        ? { status: 1, stdout: '', stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n' }
        : { status: 1, stdout: '', stderr: '' };
    expect(dockerEngineProblem(down)).toBe('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?');
  });

  it('tells an engine without a bridge network (dockerd --bridge=none) from one with it', () => {
    expect(engineHasBridge(machine(engine))).toBe(true);
    expect(engineHasBridge(machine({ 'docker info --format {{.ServerVersion}}': '20.10.24' }))).toBe(false);
  });
});
