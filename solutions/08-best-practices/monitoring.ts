/**
 * Monitoring (source 8.3): numbers you can trust.
 *
 * The source divides keyspace_hits by hits + misses from INFO. On a fresh
 * server that is 0 / 0. And those counters belong to the server: every client
 * of it, every cache and queue on it, since it started. Your cache's hit rate
 * is counted in your cache (metrics.ts); the server's figures are read as the
 * difference between two readings, over a window you chose.
 */
import type { Redis } from 'ioredis';

/**
 * hits / (hits + misses), or null when there were no lookups at all:
 * "no traffic" is not "0 % hits", and an alert on < 50 % must not fire on it.
 */
export function hitRate(hits: number, misses: number): number | null {
  for (const [name, n] of [['hits', hits], ['misses', misses]] as const) {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`hitRate: ${name} is a count (a whole number ≥ 0), got ${String(n)}`);
  }
  const lookups = hits + misses;
  return lookups === 0 ? null : hits / lookups;
}

/** INFO as field → value; the section headers are dropped (no field name is in two sections). */
export type Info = Map<string, string>;

/**
 * Parses the text of INFO: `field:value` lines, `# Section` headers, blank
 * lines, \r\n or \n. A value may itself hold colons (executable:/usr/bin/…,
 * db0:keys=1,expires=0); only the first colon separates.
 */
export function parseInfo(text: string): Info {
  if (typeof text !== 'string') throw new TypeError(`parseInfo: expected the text INFO returned, got ${typeof text}`);
  const info: Info = new Map();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const colon = line.indexOf(':');
    if (colon <= 0) continue; // not a field (a # Section header, a blank line): ignore rather than guess
    info.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return info;
}

/** A counter of INFO as a number; a missing or non-numeric field is an error that names it. */
export function infoNumber(info: Info, field: string): number {
  const text = info.get(field);
  const value = text === undefined || text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) {
    throw new RangeError(`INFO has no number for ${field} (${text === undefined ? 'missing' : `got "${text}"`})`);
  }
  return value;
}

/** The server's counters that moved between two INFO readings. */
export interface ServerStats {
  keyspaceHits: number;
  keyspaceMisses: number;
  /** The server-wide hit rate in the window (null: no lookups in it). */
  hitRate: number | null;
  evictedKeys: number;
  expiredKeys: number;
  commands: number;
  /** used_memory at the second reading, in bytes (a level, not a counter). */
  usedMemory: number;
  /**
   * The server restarted or CONFIG RESETSTAT ran between the readings: the
   * counters started again from 0, and the figures cover only the time since.
   */
  reset: boolean;
}

const counters = {
  keyspaceHits: 'keyspace_hits',
  keyspaceMisses: 'keyspace_misses',
  evictedKeys: 'evicted_keys',
  expiredKeys: 'expired_keys',
  commands: 'total_commands_processed',
} as const;

/** What moved from `before` to `after`, two parsed INFO readings (default sections) of one server. */
export function statsBetween(before: Info, after: Info): ServerStats {
  const names = Object.keys(counters) as Array<keyof typeof counters>;
  const reset =
    before.get('run_id') !== after.get('run_id') ||
    names.some((name) => infoNumber(after, counters[name]) < infoNumber(before, counters[name]));
  const moved = {} as Record<keyof typeof counters, number>;
  for (const name of names) {
    const now = infoNumber(after, counters[name]);
    moved[name] = reset ? now : now - infoNumber(before, counters[name]);
  }
  return {
    ...moved,
    hitRate: hitRate(moved.keyspaceHits, moved.keyspaceMisses),
    usedMemory: infoNumber(after, 'used_memory'),
    reset,
  };
}

/**
 * Reads INFO, waits for `window` (ms, or until the promise it returns
 * settles), reads INFO again, and returns what moved in between.
 */
export async function sampleServerStats(redis: Redis, window: number | (() => Promise<unknown>)): Promise<ServerStats> {
  if (typeof window === 'number' && (!Number.isFinite(window) || window < 0 || window > 2_147_483_647)) {
    throw new RangeError(`sampleServerStats: the window is a number of ms from 0 to 2147483647, got ${String(window)}`);
  }
  const before = parseInfo(await redis.info());
  if (typeof window === 'number') await new Promise((resolve) => setTimeout(resolve, window));
  else await window();
  return statsBetween(before, parseInfo(await redis.info()));
}
