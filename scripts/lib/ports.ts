/**
 * The ports of `npm run redis:up`. docker-compose.yml and scripts/redis-local.sh
 * use the same; test/engine/compose.spec.ts checks that they agree.
 *
 * Both can be moved, for a machine where something else already listens there:
 *   CACHELINGS_REDIS_PORT=6390                 the single Redis (default 6379)
 *   CACHELINGS_CLUSTER_PORTS=7400-7405         six consecutive ports for the cluster (default 7300-7305)
 * Set them for every command of the session (redis:up, the lessons, redis:down):
 * the scripts and the specs then look there too.
 */
/**
 * Why 7300-7305 (and their cluster bus ports, 17300-17305), not Redis's usual 7000-7005:
 * - macOS 12 and later listen on 7000 (and 5000) for the AirPlay Receiver (ControlCenter),
 *   and AirPlay's screen mirroring uses 7100: nothing from 7000 to 7100 is safe on a Mac.
 * - Windows: Hyper-V, WSL 2 and Docker Desktop reserve blocks of ports (netsh interface
 *   ipv4 show excludedportrange protocol=tcp) inside the dynamic range, 49152-65535 by
 *   default; Delivery Optimization listens on 7680. Every port here is far below 49152.
 * - Linux hands out outgoing ports from 32768-60999: a server port there can be taken by
 *   any connection; 17305 is below it.
 * - Nothing common listens there (Cassandra and WebLogic sit on 7000-7002, Neo4j on 7474).
 * Where a machine differs anyway (a Windows whose dynamic range starts at 1024, reserved
 * in blocks anywhere), `npm run doctor` names the port and what holds it.
 */
export const defaultPorts = { redis: 6379, cluster: '7300-7305' } as const;

/** A TCP port from an environment variable, or the default; a clear error for anything else. */
export function portFrom(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name}=${value} is not a TCP port (1-65535). Unset it for the default ${fallback}.`);
  }
  return port;
}

/** "7100-7105" → [7100, …, 7105]: exactly six consecutive ports, 3 masters and their 3 replicas. */
export function clusterPortsFrom(range: string): number[] {
  const match = /^\s*(\d+)-(\d+)\s*$/.exec(range);
  const first = match ? portFrom('CACHELINGS_CLUSTER_PORTS', match[1], 0) : NaN;
  const last = match ? Number(match[2]) : NaN;
  if (!match || last !== first + 5 || first + 10005 > 65535) {
    throw new Error(
      `CACHELINGS_CLUSTER_PORTS=${range} should be six consecutive ports, as FIRST-LAST (e.g. 7400-7405; ` +
        `each node also uses its port + 10000 for the cluster bus). Unset it for ${defaultPorts.cluster}.`,
    );
  }
  return Array.from({ length: 6 }, (_, i) => first + i);
}

function fromEnvironment() {
  try {
    return {
      redis: portFrom('CACHELINGS_REDIS_PORT', process.env.CACHELINGS_REDIS_PORT, defaultPorts.redis),
      cluster: clusterPortsFrom(process.env.CACHELINGS_CLUSTER_PORTS?.trim() || defaultPorts.cluster),
    };
  } catch (error) {
    if (process.env.VITEST) throw error; // a spec run reports it as the error of the file
    // A command (redis:up, lesson, doctor) ends with the message, not a stack trace.
    console.error(`✗ ${(error as Error).message}`);
    process.exit(1);
  }
}

export const ports = fromEnvironment();

/** The Redis on ports.redis, where REDIS_URL points unless it is set. */
export const defaultRedisUrl = `redis://127.0.0.1:${ports.redis}`;

/** Where the cluster is: REDIS_CLUSTER_NODES="host:port,host:port", else ports.cluster on 127.0.0.1. */
export function clusterNodes(list = process.env.REDIS_CLUSTER_NODES): Array<{ host: string; port: number }> {
  return (list ?? ports.cluster.map((p) => `127.0.0.1:${p}`).join(','))
    .split(',')
    .map((node) => {
      const [host, port] = node.trim().split(':');
      return { host: host || '127.0.0.1', port: Number(port) };
    });
}
