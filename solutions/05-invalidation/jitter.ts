/**
 * Invalidation by TTL (source 5.3), with jitter.
 *
 * The source gives every key the same TTL. Keys written together (a deploy
 * warming the cache, a batch job) then expire together, and the database takes
 * every miss at once. Taking a random few seconds off each TTL spreads the
 * expiries over a window instead of one instant.
 */
import type { Redis } from 'ioredis';
import { assertTtl, setJson } from '../../provided/json-cache.js';

/**
 * A TTL between ttlSeconds * (1 - spread) and ttlSeconds, in whole seconds.
 * Shorter, never longer: the TTL the caller asked for is their bound on staleness.
 */
export function jitteredTtl(ttlSeconds: number, spread = 0.1, random: () => number = Math.random): number {
  assertTtl(ttlSeconds, 'jitteredTtl');
  if (!(spread >= 0 && spread < 1)) {
    throw new RangeError(`jitteredTtl: spread must be at least 0 and below 1, got ${String(spread)}`);
  }
  const draw = random();
  // Checked: a draw of 1 would cut one second too many, down to a TTL of 0.
  if (!(draw >= 0 && draw < 1)) throw new RangeError(`jitteredTtl: random() must return a number in [0, 1), got ${String(draw)}`);
  const maxCut = Math.floor(ttlSeconds * spread);
  return ttlSeconds - Math.floor(draw * (maxCut + 1));
}

/** setJson with a jittered TTL: keys written together expire over a window. */
export async function setWithJitter(
  redis: Redis,
  key: string,
  value: unknown,
  ttlSeconds: number,
  spread = 0.1,
): Promise<void> {
  await setJson(redis, key, value, jitteredTtl(ttlSeconds, spread));
}
