/** Does a Redis, a cluster or a container runtime answer? Asked quickly, never retried. */
import { Redis } from 'ioredis';
import { clusterNodes, defaultRedisUrl } from './ports.js';

export const redisUrl = () => process.env.REDIS_URL ?? defaultRedisUrl;

async function withClient<T>(url: string, timeoutMs: number, ask: (r: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // The 'error' event has the useful reason (ECONNREFUSED …); connect() only says "Connection is closed".
  let reason: Error | undefined;
  client.on('error', (error: Error) => (reason ??= error));
  try {
    await client.connect().catch((error: Error) => {
      throw reason ?? error;
    });
    return await ask(client);
  } finally {
    client.disconnect();
  }
}

/** null when the server answers PING; otherwise the reason it does not. */
export async function redisProblem(url = redisUrl(), timeoutMs = 1_500): Promise<string | null> {
  try {
    const pong = await withClient(url, timeoutMs, (r) => r.ping());
    return pong === 'PONG' ? null : `answered ${pong} to PING`;
  } catch (error) {
    return (error as Error).message || String(error);
  }
}

/** null when the node at `port` belongs to a cluster whose state is ok; otherwise why not. The default is the first node the specs use. */
export async function clusterProblem(port = clusterNodes()[0]!.port, host = clusterNodes()[0]!.host): Promise<string | null> {
  try {
    const info = await withClient(`redis://${host}:${port}`, 1_500, (r) => r.call('CLUSTER', 'INFO') as Promise<string>);
    const state = /cluster_state:(\w+)/.exec(info)?.[1];
    return state === 'ok' ? null : `cluster_state is ${state ?? 'unknown'}`;
  } catch (error) {
    return (error as Error).message || String(error);
  }
}

/** null when testcontainers finds a Docker (or Podman) engine; otherwise why not. */
export async function containerRuntimeProblem(): Promise<string | null> {
  try {
    const { containerNetwork } = await import('./container.js');
    containerNetwork();
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return null;
  } catch (error) {
    return (error as Error).message.split('\n').find((line) => line.trim() !== '') ?? 'no container runtime found';
  }
}
