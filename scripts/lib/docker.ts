/**
 * What this machine's Docker offers: an engine, which Compose, which network.
 * npm run redis:up, npm run doctor and --redis container ask here, quickly and
 * without ever throwing: a missing piece is an answer, not a crash.
 */
import { spawnSync } from 'node:child_process';

/** The image of docker-compose.yml and of --redis container. */
export const defaultRedisImage = 'redis:7.4-alpine';
export const redisImage = () => process.env.CACHELINGS_REDIS_IMAGE?.trim() || defaultRedisImage;

/** One Compose: the command that starts it, and what to call it in a message. */
export interface Compose {
  /** ['docker', 'compose'] (v2, the CLI plugin) or ['docker-compose'] (v1, or v2's standalone binary). */
  command: string[];
  version: string;
  label: string;
}

type Run = (command: string, args: string[]) => { status: number | null; stdout: string; stderr: string };

const run: Run = (command, args) => {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 10_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error?.message || '') };
};

/** null when a Docker engine answers; otherwise why not, in one line. */
export function dockerEngineProblem(exec: Run = run): string | null {
  const r = exec('docker', ['info', '--format', '{{.ServerVersion}}']);
  if (r.status === 0 && r.stdout.trim() !== '') return null;
  if (r.status === null && /ENOENT/.test(r.stderr)) return 'the docker command is not installed';
  const reason = r.stderr.trim().split('\n').find((line) => line.trim() !== '');
  return reason ?? 'docker info did not answer';
}

/**
 * The Compose to use: `docker compose` (v2) when the plugin is there, else
 * `docker-compose` (v1, or v2 installed standalone); null when neither is.
 * Both take the same arguments for what redis:up does (v1 has profiles since 1.28).
 */
export function findCompose(exec: Run = run): Compose | null {
  const plugin = exec('docker', ['compose', 'version', '--short']);
  if (plugin.status === 0 && plugin.stdout.trim() !== '') {
    const version = plugin.stdout.trim();
    return { command: ['docker', 'compose'], version, label: `docker compose ${version}` };
  }
  const standalone = exec('docker-compose', ['version', '--short']);
  if (standalone.status === 0 && standalone.stdout.trim() !== '') {
    const version = standalone.stdout.trim();
    const kind = version.startsWith('1.') ? ' (v1)' : '';
    return { command: ['docker-compose'], version, label: `docker-compose ${version}${kind}` };
  }
  return null;
}

/**
 * The engine has the usual "bridge" network. Without it (dockerd --bridge=none,
 * as the CI container stage runs it) containers can only share the host's network.
 */
export function engineHasBridge(exec: Run = run): boolean {
  return exec('docker', ['network', 'inspect', 'bridge', '--format', '{{.Name}}']).status === 0;
}

/** The compose file for this engine: docker-compose.host.yml where there is no bridge network. */
export function composeFileFor(hasBridge: boolean): string {
  return hasBridge ? 'docker-compose.yml' : 'docker-compose.host.yml';
}

/** An engine answers, but only the host's network is there for containers (dockerd --bridge=none). */
export function hostNetworkOnly(exec: Run = run): boolean {
  return dockerEngineProblem(exec) === null && !engineHasBridge(exec);
}
