/** What the lesson 07 specs share: Redis clients that fail or count on demand, and bodies to send. */
import type { Redis } from 'ioredis';

export { failing } from '../04-caching-patterns/helpers.js';

/** The same client, with the name of every command sent through it pushed onto `calls`. */
export function counting(redis: Redis, calls: string[]): Redis {
  return new Proxy(redis, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(property));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** A client whose every command hangs: a Redis that accepted the connection and stopped answering. */
export function hanging(redis: Redis): Redis {
  return new Proxy(redis, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (property === 'multi' || property === 'pipeline') {
        const transaction: unknown = new Proxy({}, { get: (_, p) => (p === 'exec' ? () => new Promise(() => {}) : () => transaction) });
        return () => transaction;
      }
      return () => new Promise(() => {});
    },
  });
}

/** Bytes that are not UTF-8 (and would not survive a round trip through a string): every byte value, twice, shuffled a little. */
export function binaryBody(): Uint8Array {
  const bytes = new Uint8Array(512);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 167) % 256;
  return bytes;
}

/**
 * A body of `total` bytes that is made only as it is read, in chunks of
 * `chunk`: `pulled()` says how much of it anyone asked for.
 */
export function lazyBody(total: number, chunk = 64 * 1024): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let made = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (made >= total) return controller.close();
      const size = Math.min(chunk, total - made);
      made += size;
      controller.enqueue(new Uint8Array(size).fill(made % 251));
    },
  }, { highWaterMark: 0 });
  return { stream, pulled: () => made };
}
