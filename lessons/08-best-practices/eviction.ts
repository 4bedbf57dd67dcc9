/**
 * Exercise 1 of 9: bound the cache's size the way Redis does it (source 8.2).
 *
 * The source:
 *
 *     MAX_CACHE_SIZE = 1000
 *     def manage_cache_size():
 *         if redis_client.dbsize() > MAX_CACHE_SIZE:
 *             redis_client.flushdb()
 *
 * The README says what that costs. Here you let Redis bound itself instead:
 * maxmemory and an eviction policy, chosen for what the keys are.
 *
 * The specs that change a server run on a redis-server they start themselves
 * (`npm run lesson 8 -- --redis real`); never CONFIG SET your own Redis by hand
 * to try this out.
 */
import type { Redis } from 'ioredis';
import { todo } from '../../provided/todo.js';

// Given: every policy Redis 7 knows.
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
 *   expire by their TTL), queues (which exist nowhere else).
 */
export type RedisUse = 'cache' | 'cache-with-pinned-keys' | 'data';

/** Which keys come back: 'recency' (recently used ones) or 'frequency' (often used ones, a skewed workload). */
export type AccessPattern = 'recency' | 'frequency';

/** The policy for a use; a RangeError for a use or access pattern it does not know. */
export function choosePolicy(use: RedisUse, access: AccessPattern = 'recency'): EvictionPolicy {
  // TODO: which keys may Redis drop for each use? The README's table has the reasons.
  return todo('08-best-practices', `choosePolicy(${String(use)}, ${String(access)})`);
}

export interface EvictionSettings {
  /** The bound, in bytes: a positive whole number (Redis's 0 would mean "no bound"). */
  maxmemory: number;
  policy: EvictionPolicy;
  /** How many keys Redis samples to pick each victim (1 to 64; Redis's default is 5). */
  samples?: number;
}

/**
 * Sets the bound and the policy in one CONFIG SET, and returns what the server
 * now says. Bad settings are a RangeError before anything is sent.
 */
export async function configureEviction(redis: Redis, settings: EvictionSettings): Promise<EvictionSettings> {
  // TODO: check, then CONFIG SET (redis.call('CONFIG', 'SET', ...pairs)), then CONFIG GET to read back.
  return todo('08-best-practices', 'configureEviction');
}
