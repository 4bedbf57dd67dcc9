import { afterEach } from 'vitest';
import type { Redis } from 'ioredis';
import type { RedisNamespace } from '../support/redis.js';

/**
 * Other app instances' connections, closed when the test ends rather than
 * when the file does. ioredis-mock adds one listener per client to an emitter
 * that every client of the same server shares: more than ten alive at once is
 * Node's MaxListenersExceededWarning, which reads like a leak in the code
 * under test. So a spec never holds more than nine besides the shared one.
 */
export function useConnections(ns: RedisNamespace): (count: number) => Promise<Redis[]> {
  const open: Redis[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((client) => client.quit().catch(() => client.disconnect())));
  });
  return async (count) => {
    if (open.length + count > 9) throw new Error(`useConnections: ${open.length + count} connections at once; nine at most (see above)`);
    const clients = await Promise.all(Array.from({ length: count }, () => ns.connect()));
    open.push(...clients);
    return clients;
  };
}
