/**
 * Bounding a cache's size (source 8.2): let Redis evict, never FLUSHDB.
 *
 * The source empties the whole database once it holds 1,000 keys: every hot
 * key goes at once, and so do the sessions, queues and locks that share the
 * database. Redis has its own bound: `maxmemory`, and a policy that chooses
 * which keys to drop. Before each command, while the memory in use is over
 * the bound, Redis evicts keys the policy picks until it is under again (or
 * refuses the command with OOM when nothing more may go). Which policy fits
 * depends on what the keys are.
 */
import type { Redis } from 'ioredis';

export const evictionPolicies = [
  'noeviction',
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'volatile-lru',
  'volatile-lfu',
  'volatile-random',
  'volatile-ttl',
] as const;

export type EvictionPolicy = (typeof evictionPolicies)[number];

/**
 * What the keys of this Redis are:
 * - 'cache': only copies, any of them may go;
 * - 'cache-with-pinned-keys': copies, each with a TTL, beside keys written without one that must
 *   stay (lesson 09's pinned keys, configuration read at start-up);
 * - 'data': keys that must not vanish before their time: sessions, locks and rate limits (which
 *   expire by their TTL, so volatile-* would evict them), queues (which exist nowhere else).
 */
export type RedisUse = 'cache' | 'cache-with-pinned-keys' | 'data';

/** Which keys come back: 'recency' (recently used ones) or 'frequency' (often used ones, a skewed workload). */
export type AccessPattern = 'recency' | 'frequency';

/** The policy for a use: only copies are ever evicted, and data is refused a write rather than dropped. */
export function choosePolicy(use: RedisUse, access: AccessPattern = 'recency'): EvictionPolicy {
  if (access !== 'recency' && access !== 'frequency') {
    throw new RangeError(`choosePolicy: access is 'recency' or 'frequency', got ${String(access)}`);
  }
  const lfu = access === 'frequency';
  switch (use) {
    case 'cache':
      return lfu ? 'allkeys-lfu' : 'allkeys-lru';
    case 'cache-with-pinned-keys':
      // volatile-*: only keys with a TTL are candidates; a key written without one is never evicted.
      return lfu ? 'volatile-lfu' : 'volatile-lru';
    case 'data':
      // An evicted session logs a user out, an evicted lock lets two holders in, an evicted queue
      // entry is a lost write: refuse the write (OOM) instead, so the writer knows.
      return 'noeviction';
    default:
      throw new RangeError(`choosePolicy: use is 'cache', 'cache-with-pinned-keys' or 'data', got ${String(use)}`);
  }
}

export interface EvictionSettings {
  /** The bound, in bytes: a positive whole number (Redis's 0 would mean "no bound"). */
  maxmemory: number;
  policy: EvictionPolicy;
  /** How many keys Redis samples to pick each victim (1 to 64; Redis's default is 5). */
  samples?: number;
}

/** Sets the bound and the policy in one CONFIG SET, and returns what the server now says. */
export async function configureEviction(redis: Redis, settings: EvictionSettings): Promise<EvictionSettings> {
  const { maxmemory, policy, samples } = settings;
  if (!Number.isSafeInteger(maxmemory) || maxmemory < 1) {
    throw new RangeError(`configureEviction: maxmemory is a positive whole number of bytes, got ${String(maxmemory)}`);
  }
  if (!(evictionPolicies as readonly string[]).includes(policy)) {
    throw new RangeError(`configureEviction: policy must be one of ${evictionPolicies.join(', ')}; got ${String(policy)}`);
  }
  if (samples !== undefined && (!Number.isInteger(samples) || samples < 1 || samples > 64)) {
    throw new RangeError(`configureEviction: samples is a whole number from 1 to 64, got ${String(samples)}`);
  }
  // One CONFIG SET with several pairs is atomic (Redis 7): all of them apply, or none.
  const pairs = ['maxmemory', String(maxmemory), 'maxmemory-policy', policy];
  if (samples !== undefined) pairs.push('maxmemory-samples', String(samples));
  await redis.call('CONFIG', 'SET', ...pairs);

  const now = configMap((await redis.call('CONFIG', 'GET', 'maxmemory*')) as string[]);
  return {
    maxmemory: Number(now.get('maxmemory')),
    policy: now.get('maxmemory-policy') as EvictionPolicy,
    samples: Number(now.get('maxmemory-samples')),
  };
}

/** CONFIG GET answers a flat list: name, value, name, value… */
function configMap(flat: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i < flat.length; i += 2) map.set(flat[i]!, flat[i + 1]!);
  return map;
}
