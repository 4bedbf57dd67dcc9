import type { Redis } from 'ioredis';

/**
 * The same client, except that its first GET answers "no such key": as if the
 * value arrived (another caller wrote it) just after this caller's miss. What
 * a cache does next shows whether it looks again before it loads.
 */
export function missOnce(redis: Redis): Redis {
  let missed = false;
  return new Proxy(redis, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property === 'get' && !missed) {
        return async () => {
          missed = true;
          return null;
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
