/**
 * Exercise 2 of 6: invalidation by key (source 5.1) and by pattern (source 5.2).
 *
 * This is the source's version: DEL, and KEYS to find a pattern's keys. It
 * works on your laptop. The README explains what KEYS does to a busy server.
 */
import type { Redis } from 'ioredis';

/** Removes the keys (UNLINK) and says how many there were. */
export async function invalidateKeys(redis: Redis, keys: readonly string[]): Promise<number> {
  // TODO: UNLINK, not DEL; and no keys means nothing to do.
  return redis.del(...keys);
}

export interface PatternOptions {
  /** How many keys SCAN looks at per call: a hint that bounds each call's work. */
  count?: number;
}

/** Removes every key that matches `pattern`, a page at a time, and says how many. */
export async function invalidatePattern(
  redis: Redis,
  pattern: string,
  { count = 1000 }: PatternOptions = {},
): Promise<number> {
  // TODO: refuse a pattern with no literal start and a bad count (RangeError);
  // walk with SCAN MATCH COUNT until the cursor is "0", UNLINK each page.
  const keys = await redis.keys(pattern);
  if (keys.length > 0) return redis.del(...keys);
  return 0;
}
