/**
 * Bounding a cache's size (source 8.2): let Redis evict, never FLUSHDB.
 *
 * The source empties the whole database once it holds 1,000 keys: every hot
 * key goes at once, and so do the sessions, queues and locks that share the
 * database. Redis has its own bound: `maxmemory`, and a policy that chooses
 * which keys to drop, a few at a time, when a write would go past it.
 */
import type { Redis } from 'ioredis';
import { escapeGlob } from '../../provided/escape-glob.js';

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
 * - 'cache-beside-data': copies with a TTL next to keys that must stay (sessions, locks), which have none;
 * - 'queue': data that exists nowhere else (lesson 04's write-behind queue).
 */
export type RedisUse = 'cache' | 'cache-beside-data' | 'queue';

/** Which keys come back: 'recency' (recently used ones) or 'frequency' (often used ones, a skewed workload). */
export type AccessPattern = 'recency' | 'frequency';

/** The policy for a use. Only a queue refuses writes; only copies are ever evicted. */
export function choosePolicy(use: RedisUse, access: AccessPattern = 'recency'): EvictionPolicy {
  if (access !== 'recency' && access !== 'frequency') {
    throw new RangeError(`choosePolicy: access is 'recency' or 'frequency', got ${String(access)}`);
  }
  const lfu = access === 'frequency';
  switch (use) {
    case 'cache':
      return lfu ? 'allkeys-lfu' : 'allkeys-lru';
    case 'cache-beside-data':
      // volatile-*: only keys with a TTL are candidates, so give TTLs to cache keys only.
      return lfu ? 'volatile-lfu' : 'volatile-lru';
    case 'queue':
      // A dropped queue entry is a lost write: refuse the write (OOM) instead, so the writer knows.
      return 'noeviction';
    default:
      throw new RangeError(`choosePolicy: use is 'cache', 'cache-beside-data' or 'queue', got ${String(use)}`);
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

function configMap(flat: string[]): Map<string, string> {
  const map = new Map<string, string>();
  // Stryker disable next-line EqualityOperator,ArithmeticOperator: CONFIG GET answers name/value pairs, so the loop ends after the last pair either way
  for (let i = 0; i + 1 < flat.length; i += 2) map.set(flat[i]!, flat[i + 1]!);
  return map;
}

export interface MemoryReportOptions {
  /** At most this many keys are looked at (a sample: SCAN, never KEYS). */
  sampleSize?: number;
  /** How many of the largest keys to list. */
  top?: number;
}

export interface MemoryReport {
  /** used_memory from INFO memory, in bytes. */
  usedMemory: number;
  /** The bound (0: none, the server may grow until the machine runs out). */
  maxmemory: number;
  policy: string;
  /** How many keys under the prefix were looked at. */
  sampled: number;
  /** The largest sampled keys, largest first, with MEMORY USAGE in bytes. */
  largest: Array<{ key: string; bytes: number }>;
  /** Sampled keys with no TTL: the usual leak of a cache. */
  withoutTtl: string[];
}

/** Where the memory under `prefix` goes, from a bounded sample of keys. */
export async function memoryReport(redis: Redis, prefix: string, options: MemoryReportOptions = {}): Promise<MemoryReport> {
  const { sampleSize = 1_000, top = 10 } = options;
  if (typeof prefix !== 'string' || prefix === '') {
    throw new TypeError('memoryReport: give the prefix of your cache keys; a report of the whole server is INFO memory');
  }
  for (const [name, n] of [['sampleSize', sampleSize], ['top', top]] as const) {
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`memoryReport: ${name} is a positive whole number, got ${String(n)}`);
  }

  const keys = new Set<string>(); // SCAN may return a key twice
  let cursor = '0';
  do {
    const [next, page] = await redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 100);
    cursor = next;
    for (const key of page) if (keys.size < sampleSize) keys.add(key);
  } while (cursor !== '0' && keys.size < sampleSize);

  const sampled = [...keys];
  const pipeline = redis.pipeline();
  for (const key of sampled) pipeline.call('MEMORY', 'USAGE', key).pttl(key);
  // Stryker disable next-line ArrayDeclaration: exec() answers null only for a MULTI that failed, and this pipeline has none
  const replies = (await pipeline.exec()) ?? [];

  const largest: MemoryReport['largest'] = [];
  const withoutTtl: string[] = [];
  sampled.forEach((key, i) => {
    const [, bytes] = replies[2 * i]!;
    const [, pttl] = replies[2 * i + 1]!;
    if (typeof bytes === 'number') largest.push({ key, bytes }); // null: it expired meanwhile
    if (pttl === -1) withoutTtl.push(key);
  });
  largest.sort((a, b) => b.bytes - a.bytes);

  const info = await redis.info('memory');
  // Stryker disable next-line MethodExpression,OptionalChaining,StringLiteral: INFO memory always holds these fields, the group always matches, and `.` stops before \r
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim() ?? '';
  return {
    usedMemory: Number(field('used_memory')),
    maxmemory: Number(field('maxmemory')),
    policy: field('maxmemory_policy'),
    sampled: sampled.length,
    largest: largest.slice(0, top),
    withoutTtl,
  };
}
