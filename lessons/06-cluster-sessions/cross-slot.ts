/**
 * Exercise 3 of 4: what a Redis Cluster refuses, and the remedies.
 *
 * These are the one-node versions: a key without a hash tag, one MGET for all
 * keys, and lesson 05's SCAN loop. On one Redis they work. On a cluster, run
 * `npm run lesson 6 -- --redis real` and read what the cluster answers.
 */
import type { Cluster } from 'ioredis';
import { groupBy } from '../../provided/group-by.js'; // groupBy(items, keyOf): a Map of the items by key
import { keySlot } from './key-slot.js';

/** `${prefix}${entity}:{${id}}:${field}`: every field of one entity in one slot. */
export function entityKey(prefix: string, entity: string, id: string | number, field: string): string {
  // TODO: a hash tag around the id, and the checks the README lists.
  return `${prefix}${entity}:${id}:${field}`;
}

/** The values of `keys`, in the caller's order, from any number of slots. Like MGET, a missing key is null. */
export async function mgetAcrossSlots(cluster: Cluster, keys: readonly string[]): Promise<Array<string | null>> {
  // TODO: one pipeline per node, one MGET per slot inside it (group by keySlot, then by cluster.slots).
  return cluster.mget(...keys);
}

export interface ClusterPatternOptions {
  /** How many keys SCAN looks at per call, on each master. */
  count?: number;
}

/** Removes every key that matches `pattern` from every master, and says how many. */
export async function invalidatePatternCluster(
  cluster: Cluster,
  pattern: string,
  { count = 1000 }: ClusterPatternOptions = {},
): Promise<number> {
  // TODO: refuse a pattern with no literal start; SCAN every master; UNLINK slot by slot.
  let cursor = '0';
  let removed = 0;
  do {
    const [next, keys] = await cluster.scan(cursor, 'MATCH', pattern, 'COUNT', count);
    cursor = next;
    if (keys.length > 0) removed += await cluster.unlink(...keys);
  } while (cursor !== '0');
  return removed;
}
