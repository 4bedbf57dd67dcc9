/**
 * Exercise 3 of 9: monitoring numbers you can trust (source 8.3).
 *
 * The source:
 *
 *     def get_cache_stats():
 *         info = redis_client.info()
 *         return {
 *             "used_memory": info.get("used_memory_human"),
 *             "keyspace_hits": info.get("keyspace_hits"),
 *             "keyspace_misses": info.get("keyspace_misses"),
 *             "hit_rate": info.get("keyspace_hits") / (info.get("keyspace_hits") + info.get("keyspace_misses"))
 *         }
 *
 * hitRate and sampleServerStats below are that code in TypeScript. Run
 * `npm run lesson 8` to see what a fresh server, a restart and a busy shared
 * server do to it. The parser specs run on INFO text captured from a real
 * server (test/08-best-practices/fixtures/), on every backend.
 */
import type { Redis } from 'ioredis';
import { todo } from '../../provided/todo.js';

/** hits / (hits + misses); what it should be with no lookups at all is in the README. */
export function hitRate(hits: number, misses: number): number | null {
  // TODO: the source's division, as it is. Check the counts, and answer for 0 lookups.
  return hits / (hits + misses);
}

/** INFO as field → value; the section headers are dropped (no field name is in two sections). */
export type Info = Map<string, string>;

/** Parses the text of INFO (`field:value` lines, `# Section` headers, blank lines, \r\n). */
export function parseInfo(text: string): Info {
  // TODO
  return todo('08-best-practices', 'parseInfo');
}

/** A counter of INFO as a number; a missing or non-numeric field is an error that names it. */
export function infoNumber(info: Info, field: string): number {
  // TODO
  return todo('08-best-practices', 'infoNumber');
}

/** The server's counters that moved between two INFO readings. */
export interface ServerStats {
  keyspaceHits: number;
  keyspaceMisses: number;
  /** The server-wide hit rate in the window (null: no lookups in it). */
  hitRate: number | null;
  evictedKeys: number;
  expiredKeys: number;
  /** total_commands_processed. */
  commands: number;
  /** used_memory at the second reading, in bytes (a level, not a counter). */
  usedMemory: number;
  /**
   * The server restarted or CONFIG RESETSTAT ran between the readings: the
   * counters started again from 0, and the figures cover only the time since.
   */
  reset: boolean;
}

/** What moved from `before` to `after`, two parsed INFO readings (default sections) of one server. */
export function statsBetween(before: Info, after: Info): ServerStats {
  // TODO
  return todo('08-best-practices', 'statsBetween');
}

/**
 * Reads INFO, waits for `window` (ms, or until the promise it returns
 * settles), reads INFO again, and returns what moved in between.
 */
export async function sampleServerStats(redis: Redis, window: number | (() => Promise<unknown>)): Promise<ServerStats> {
  // TODO: this is the source's get_cache_stats: one reading, counters since the server started.
  const info = parseInfo(await redis.info());
  const hits = infoNumber(info, 'keyspace_hits');
  const misses = infoNumber(info, 'keyspace_misses');
  return {
    keyspaceHits: hits,
    keyspaceMisses: misses,
    hitRate: hitRate(hits, misses),
    evictedKeys: infoNumber(info, 'evicted_keys'),
    expiredKeys: infoNumber(info, 'expired_keys'),
    commands: infoNumber(info, 'total_commands_processed'),
    usedMemory: infoNumber(info, 'used_memory'),
    reset: false,
  };
}
