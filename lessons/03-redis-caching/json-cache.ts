/**
 * Exercise 2 of 5: JSON values in Redis (source 3.2).
 *
 * getJson and setJson below are the source's code, translated. They work for
 * the happy path. Run the specs to see what they do with bytes that are not
 * JSON, an empty key, a TTL of 0 or a Map.
 */
import type { Redis } from 'ioredis';

/** A cache read: `{ hit: false }` is a miss; `{ hit: true, value: 0 }` is a cached 0. */
export type CacheRead<T> = { hit: true; value: T } | { hit: false };

export async function getJson<T>(redis: Redis, key: string): Promise<CacheRead<T>> {
  // TODO: check the key; and what happens below when the bytes are not JSON?
  const cached = await redis.get(key);
  if (cached) return { hit: true, value: JSON.parse(cached) as T };
  return { hit: false };
}

/** Value and TTL in one command, so that there is no moment without a TTL. */
export async function setJson(redis: Redis, key: string, value: unknown, ttlSeconds: number): Promise<void> {
  // TODO: check the key and the TTL, and encode with toJson() below: what does
  // JSON.stringify make of undefined, or of a Map?
  await redis.setex(key, ttlSeconds, JSON.stringify(value));
}

// The checks below are given in the starter too: the other exercises use them.

/** Redis would take '' as a key; it is always a bug (a missing id), so say so at the call. */
export function assertKey(key: string, caller: string): void {
  if (typeof key !== 'string' || key === '') {
    throw new TypeError(`${caller}: the key must be a non-empty string, got ${JSON.stringify(key) ?? String(key)}`);
  }
}

/** A TTL is a whole number of seconds, at least 1: EX 0 is an error in Redis, and 1.5 is silently a typo. */
export function assertTtl(ttlSeconds: number, caller: string): void {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) {
    throw new RangeError(`${caller}: ttlSeconds must be a whole number of seconds >= 1, got ${String(ttlSeconds)}`);
  }
}

/**
 * JSON.stringify, but loud where it would store something else than it was
 * given: a Map or Set becomes {}, a function vanishes, undefined is not JSON.
 * (A circular object or a BigInt already throws; the message gets our context.)
 */
export function toJson(value: unknown, where: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value, (key, item: unknown) => {
      const kind = lostByJson(item);
      if (kind) throw new TypeError(`${key === '' ? 'the value' : `"${key}"`} is a ${kind}, which JSON cannot hold (use a codec from codecs.ts)`);
      return item;
    });
  } catch (error) {
    throw new TypeError(`${where}: cannot store this value as JSON: ${(error as Error).message}`, { cause: error });
  }
  if (json === undefined) throw new TypeError(`${where}: undefined is not JSON; cache null instead`);
  return json;
}

function lostByJson(item: unknown): string | undefined {
  if (item instanceof Map) return 'Map';
  if (item instanceof Set) return 'Set';
  if (typeof item === 'function' || typeof item === 'symbol') return typeof item;
  return undefined;
}
