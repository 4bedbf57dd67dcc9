/**
 * --redis container: a throwaway Redis for one run, started with testcontainers
 * from CACHELINGS_REDIS_IMAGE (default redis:7.4-alpine) and removed afterwards.
 *
 * On an engine with a bridge network (Docker Desktop, a usual dockerd) it is the
 * stock RedisContainer on a published random port. On an engine without one
 * (dockerd --bridge=none, as CI's container stage runs it) the container shares
 * the host's network, so the server listens on a free port of 127.0.0.1 only.
 */
import { createServer } from 'node:net';
import { hostNetworkOnly, redisImage } from './docker.js';

/** No persistence, and no protected mode (only the official image turns it off by itself). */
const serverArgs = ['--protected-mode', 'no', '--save', '', '--appendonly', 'no'];

export interface RedisContainerRun {
  url: string;
  /** For the summary line, e.g. "host network, redis:7.4-alpine". */
  how: string;
  stop(): Promise<void>;
}

/**
 * 'host' or 'bridge'. With 'host' testcontainers is told that its containers are
 * on this host's loopback (TESTCONTAINERS_HOST_OVERRIDE, unless set): run inside
 * a container itself, as in a CI sandbox, it would look for the bridge's gateway.
 */
export function containerNetwork(): 'host' | 'bridge' {
  if (!hostNetworkOnly()) return 'bridge';
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
  return 'host';
}

export async function startRedisContainer(): Promise<RedisContainerRun> {
  const image = redisImage();
  const network = containerNetwork();
  if (network === 'bridge') {
    const { RedisContainer } = await import('@testcontainers/redis');
    const container = await new RedisContainer(image).withCommand(['redis-server', ...serverArgs]).start();
    return { url: container.getConnectionUrl(), how: image, stop: async () => void (await container.stop()) };
  }
  const { GenericContainer, Wait } = await import('testcontainers');
  const port = await freeLoopbackPort();
  const container = await new GenericContainer(image)
    .withNetworkMode('host')
    .withCommand(['redis-server', '--port', String(port), '--bind', '127.0.0.1', ...serverArgs])
    .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
    .withStartupTimeout(60_000)
    .start();
  return { url: `redis://127.0.0.1:${port}`, how: `${image}, host network`, stop: async () => void (await container.stop()) };
}

/** A port nothing listens on right now: the kernel picks it, we give it back at once. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
