/**
 * Exercise 3 of 6: invalidation by TTL (source 5.3), with jitter.
 *
 * This is the source's `setex(key, ttl, json.dumps(value))`: every key gets
 * the same TTL, so keys written together expire together.
 */
import type { Redis } from 'ioredis';
import { setJson } from '../../provided/json-cache.js';

/**
 * A TTL between ttlSeconds * (1 - spread) and ttlSeconds, in whole seconds.
 * Shorter, never longer: the TTL the caller asked for is their bound on staleness.
 */
export function jitteredTtl(ttlSeconds: number, spread = 0.1, random: () => number = Math.random): number {
  // TODO: check ttlSeconds (assertTtl in provided/json-cache.js), spread
  // (0 <= spread < 1) and what random() returned (in [0, 1)), then take a
  // random whole number of seconds, 0 to floor(ttl * spread), off.
  return ttlSeconds;
}

/** setJson with a jittered TTL: keys written together expire over a window. */
export async function setWithJitter(
  redis: Redis,
  key: string,
  value: unknown,
  ttlSeconds: number,
  spread = 0.1,
): Promise<void> {
  // TODO: the same TTL for every key is the source's. Jitter it.
  await setJson(redis, key, value, ttlSeconds);
}
