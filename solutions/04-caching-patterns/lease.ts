/**
 * Leases (memcache at Facebook, NSDI 2013): an invalidation wins over a load
 * that was already running when it came.
 *
 * Cache-aside with delete-on-write still has one race: a reader misses, reads
 * the old row, the writer commits and deletes the key, and then the reader
 * SETs the old row, for a whole TTL. Here a miss first puts a lease under the
 * key itself (a random token, with SET NX PX), and the fill replaces the lease
 * with the value only if the lease is still there. Whatever a writer does to
 * the key (exercise 3's delete, exercise 2's SET, write-behind's SET) removes
 * the lease, so a load that began before it cannot write what it read.
 *
 * A lease is not JSON, so no cached value can be taken for one. A reader that
 * finds someone else's lease loads from the database and answers, but does not
 * write: one fill per miss. The atomic compares (fill, or give back, only
 * while the key holds our token) are lesson 10's, given in provided/.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { assertKey, assertTtl, isWrongType, toJson } from '../../provided/json-cache.js';
import { releaseLock, writeWhileLocked, type Lock } from '../../provided/redis-lock.js';
import type { User } from '../../provided/user-repository.js';
import { reporter, userKey, type UserCache } from '../../provided/user-cache.js';

/** How long a miss holds its lease: a load slower than this does not write what it loaded. */
export const LEASE_MS = 10_000;

/** getOrLoad (exercise 1), except that a load never writes over an invalidation that came while it ran. */
export async function getOrLoadLeased<T>(
  redis: Redis,
  key: string,
  loader: () => Promise<T>,
  ttlSeconds: number,
  onCacheError?: (error: unknown) => void,
): Promise<T> {
  assertKey(key, 'getOrLoadLeased');
  assertTtl(ttlSeconds, 'getOrLoadLeased');
  const report = reporter(onCacheError);
  let lease: Lock | null = null;
  try {
    const read = await readOrLease<T>(redis, key);
    if (read.hit) return read.value;
    lease = read.lease;
  } catch (error) {
    report(error); // a cache that cannot answer is a miss, with no lease
  }
  if (lease === null) return loader(); // someone else fills the key, or nobody can

  try {
    const value = await loader();
    try {
      // The lease is the key itself: the value replaces it only if it still holds our token.
      await writeWhileLocked(redis, lease, key, toJson(value, `getOrLoadLeased(${key})`), ttlSeconds);
    } catch (error) {
      report(error); // Redis failed, or JSON cannot hold the value: the caller still gets it
      await releaseLock(redis, lease).catch(report);
    }
    return value;
  } catch (error) {
    // Only the loader's error gets here. The lease is given back, or the key stays uncached until it expires.
    await releaseLock(redis, lease).catch(report);
    throw error; // nothing is cached
  }
}

/** A user through the leased cache. */
export function getUserLeased(cache: UserCache, id: number): Promise<User | null> {
  return getOrLoadLeased(cache.redis, userKey(cache, id), () => cache.users.get(id), cache.ttlSeconds, cache.onCacheError);
}

type LeasedRead<T> = { hit: true; value: T } | { hit: false; lease: Lock | null };

/** A hit, or a miss with the lease this reader took (null: another reader holds one). */
async function readOrLease<T>(redis: Redis, key: string): Promise<LeasedRead<T>> {
  const raw = await redis.get(key).catch(async (error: unknown) => {
    if (!isWrongType(error)) throw error; // Redis is down
    await redis.unlink(key); // another type under our key: a miss that heals
    return null;
  });
  if (raw?.startsWith('lease:')) return { hit: false, lease: null }; // someone else is loading it
  if (raw !== null) {
    try {
      return { hit: true, value: JSON.parse(raw) as T };
    } catch {
      await redis.unlink(key); // garbage: a miss that heals
    }
  }
  // Not JSON (no JSON text starts with "l"), and random: nobody else fills with it.
  const token = `lease:${randomBytes(16).toString('base64url')}`;
  // NX: if another reader was faster, the key holds its token, and our fill's compare will fail.
  await redis.set(key, token, 'PX', LEASE_MS, 'NX');
  return { hit: false, lease: { key, token } };
}
