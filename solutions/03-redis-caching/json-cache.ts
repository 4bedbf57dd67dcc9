/**
 * JSON values in Redis (source 3.2), read so that a miss is never confused
 * with a cached falsy value.
 *
 * The source returns the value or None, so a cached None (or [] to a caller
 * that writes `if not items:`) looks like a miss and the database is asked
 * again on every request. A read here says which it was: `{ hit: false }`, or
 * `{ hit: true, value }` whatever the value is.
 */
import type { Redis } from 'ioredis';

/** A cache read: `{ hit: false }` is a miss; `{ hit: true, value: 0 }` is a cached 0. */
export type CacheRead<T> = { hit: true; value: T } | { hit: false };

export async function getJson<T>(redis: Redis, key: string): Promise<CacheRead<T>> {
  assertKey(key, 'getJson');
  const raw = await redis.get(key);
  if (raw === null) return { hit: false };
  try {
    return { hit: true, value: JSON.parse(raw) as T };
  } catch {
    await redis.unlink(key); // garbage in the cache is a miss, not a crash
    return { hit: false };
  }
}

/** Value and TTL in one command (SET key value EX ttl): there is no moment without a TTL. */
export async function setJson(redis: Redis, key: string, value: unknown, ttlSeconds: number): Promise<void> {
  assertKey(key, 'setJson');
  assertTtl(ttlSeconds, 'setJson');
  await redis.set(key, toJson(value, `setJson(${key})`), 'EX', ttlSeconds);
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
