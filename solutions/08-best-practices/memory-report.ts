/**
 * Where the memory goes (source 8.2): the report to read when a cache grows.
 *
 * The source counts keys (DBSIZE) and empties everything at 1,000. What runs
 * out is memory, and the usual leak of a cache is a key written without a TTL
 * (one SET without EX somewhere): it stays until eviction, or forever under a
 * policy that does not evict it. memoryReport samples the keys under your
 * prefix with SCAN (never KEYS, lesson 05), asks MEMORY USAGE and PTTL for each
 * in one pipeline, and reads used_memory, maxmemory and the policy from INFO.
 */
import type { Redis } from 'ioredis';
import { escapeGlob } from '../../provided/escape-glob.js';

export interface MemoryReportOptions {
  /** At most this many keys are looked at (a sample: SCAN, never KEYS). */
  sampleSize?: number;
  /** How many of the largest keys to list. */
  top?: number;
}

export interface MemoryReport {
  /** used_memory from INFO memory, in bytes (NaN when the server does not report it). */
  usedMemory: number;
  /** The bound (0: none, the server may grow until the machine runs out; NaN: not reported). */
  maxmemory: number;
  /** maxmemory_policy ('unknown' when the server does not report it). */
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
  const replies = (await pipeline.exec())!; // null only for a MULTI whose WATCH failed; a pipeline always answers

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
  const field = (name: string) => new RegExp(`^${name}:([^\r\n]*)`, 'm').exec(info)?.[1]; // undefined: not in this server's INFO
  return {
    usedMemory: Number(field('used_memory')), // NaN, not a made-up 0, for a field the server did not report
    maxmemory: Number(field('maxmemory')),
    policy: field('maxmemory_policy') ?? 'unknown',
    sampled: sampled.length,
    largest: largest.slice(0, top),
    withoutTtl,
  };
}
