/**
 * Invalidation by key (source 5.1) and by pattern (source 5.2).
 *
 * The source finds a pattern's keys with KEYS, one command that walks the
 * whole keyspace while every other client waits. SCAN walks it a page at a
 * time: each call is short, other clients run in between, and the cursor says
 * where to go on. UNLINK removes a page, and frees big values off the main
 * thread, where DEL would free them inline.
 */
import type { Redis } from 'ioredis';

/** Removes the keys (UNLINK) and says how many there were. */
export async function invalidateKeys(redis: Redis, keys: readonly string[]): Promise<number> {
  if (keys.length === 0) return 0; // UNLINK without keys is an error: ERR wrong number of arguments
  return redis.unlink(...keys);
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
  if (pattern === '' || /^[*?[]/.test(pattern)) {
    throw new RangeError(`invalidatePattern: pattern "${pattern}" has no literal prefix; it would match every key in the database`);
  }
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`invalidatePattern: count must be a positive integer, got ${String(count)}`);
  }
  let cursor = '0'; // where every walk starts, and what SCAN answers when it is over
  let removed = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', count);
    cursor = next;
    // A page may be empty while the walk goes on, and SCAN may return a key
    // twice (when the table grows mid-walk): count what UNLINK removed.
    removed += await invalidateKeys(redis, keys);
  } while (cursor !== '0');
  return removed;
}
