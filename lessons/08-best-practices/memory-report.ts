/**
 * Exercise 2 of 9: where the memory goes (source 8.2).
 *
 * The source counts keys (DBSIZE) and empties everything at 1,000. What runs
 * out is memory, and the usual leak of a cache is a key written without a TTL.
 * Report, for the keys under a prefix: the largest ones, and the ones without
 * a TTL, from a bounded sample (SCAN, never KEYS), with the server's
 * used_memory, maxmemory and policy.
 */
import type { Redis } from 'ioredis';
import { escapeGlob } from '../../provided/escape-glob.js';
import { todo } from '../../provided/todo.js';

export interface MemoryReportOptions {
  /** At most this many keys are looked at (a sample: SCAN, never KEYS). Default 1,000. */
  sampleSize?: number;
  /** How many of the largest keys to list. Default 10. */
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
  // TODO: SCAN under the prefix (escapeGlob is given), MEMORY USAGE and PTTL per key in one pipeline, INFO memory.
  void escapeGlob;
  return todo('08-best-practices', 'memoryReport');
}
