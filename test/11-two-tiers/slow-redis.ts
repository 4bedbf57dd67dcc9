import type { Redis } from 'ioredis';
import { deferred } from '../10-stampede/deferred.js';

/**
 * The same client, except that each GET's answer (read at once from Redis)
 * is held until the spec lets it go: an answer that was on its way while
 * something else happened.
 */
export function slowReads(redis: Redis): { redis: Redis; release(): void } {
  const gate = deferred<void>();
  const slow = new Proxy(redis, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (property !== 'getBuffer') return typeof value === 'function' ? value.bind(target) : value;
      return async (key: string) => {
        const bytes = await target.getBuffer(key); // the value as it was when asked
        await gate.promise; // ... delivered later
        return bytes;
      };
    },
  });
  return { redis: slow, release: () => gate.resolve() };
}
