/** What the lesson's specs share: writing keys and listing them the way Redis matches them, without KEYS; a load held open; a SCAN that repeats keys. */
import type { Redis } from 'ioredis';
import { vi } from 'vitest';
import { escapeGlob } from '../support/redis.js';

/** The distinct keys that match `pattern`, with `prefix` cut off, sorted. */
export async function scanKeys(redis: Redis, pattern: string, prefix = ''): Promise<string[]> {
  const found = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) found.add(key.slice(prefix.length));
  } while (cursor !== '0');
  return [...found].sort();
}

/** Every key under `prefix` (matched literally), with the prefix cut off, sorted. */
export const keysUnder = (redis: Redis, prefix: string) => scanKeys(redis, `${escapeGlob(prefix)}*`, prefix);

/** Writes each name under `prefix` with a short TTL, so nothing outlives the run. */
export async function writeKeys(redis: Redis, prefix: string, names: Iterable<string>): Promise<void> {
  const pipeline = redis.pipeline();
  for (const name of names) pipeline.set(prefix + name, '1', 'EX', 120);
  await pipeline.exec();
}

/**
 * A load the spec holds open: `load` starts it (and resolves `begun`), and it
 * answers only when the spec calls `finish(value)`. The race every
 * invalidation must win: the load reads the old data, the invalidation runs,
 * then the load stores what it read.
 */
export function heldLoad<T>() {
  let started!: () => void;
  let answer!: (value: T) => void;
  const begun = new Promise<void>((resolve) => (started = resolve));
  const load = vi.fn(
    () =>
      new Promise<T>((resolve) => {
        answer = resolve;
        started();
      }),
  );
  return { load, begun, finish: (value: T) => answer(value) };
}

/** The same client, but every page of SCAN repeats each key it has returned so far, as SCAN may while Redis resizes its table. */
export function scanThatRepeats(redis: Redis): Redis {
  const seen: string[] = [];
  return new Proxy(redis, {
    get(target, property) {
      if (property === 'scan') {
        return async (...args: Parameters<Redis['scan']>) => {
          const [cursor, keys] = (await target.scan(...args)) as [string, string[]];
          seen.push(...keys);
          return [cursor, [...keys, ...seen]];
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
