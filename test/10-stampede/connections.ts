import { afterEach } from 'vitest';
import type { Redis } from 'ioredis';
import type { RedisNamespace } from '../support/redis.js';

/**
 * Other app instances' connections, closed when the test ends rather than
 * when the file does: a spec holds only the connections its test needs.
 */
export function useConnections(ns: RedisNamespace): (count: number) => Promise<Redis[]> {
  const open: Redis[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((client) => client.quit().catch(() => client.disconnect())));
  });
  return async (count) => {
    const clients = await Promise.all(Array.from({ length: count }, () => ns.connect()));
    open.push(...clients);
    return clients;
  };
}
