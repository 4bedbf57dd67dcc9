/**
 * What a Redis Cluster refuses, and the two remedies.
 *
 * A command that names several keys (MGET, DEL, UNLINK, MSET), a MULTI and a
 * Lua script must keep all their keys in one slot, or the cluster answers
 * CROSSSLOT. (ioredis refuses a pipeline whose keys live on different nodes
 * before it sends anything.)
 *
 * 1. By design: keys that are used together share a hash tag, so they share
 *    a slot. `user:{42}:profile` and `user:{42}:orders` can meet in one MGET.
 * 2. By splitting: keys that cannot share a slot are grouped by the node that
 *    owns them, one pipeline per node, and the answers are put back in order.
 *
 * And SCAN walks one node: a pattern's keys live on every master.
 */
import type { Cluster, Redis } from 'ioredis';
import { keySlot } from './key-slot.js';

/**
 * `${prefix}${entity}:{${id}}:${field}`: every field of one entity in one slot.
 * Nothing before the tag may contain a `{` (it would start the tag there), and
 * the id may not be empty (`{}` is no tag at all) nor contain a brace.
 */
export function entityKey(prefix: string, entity: string, id: string | number, field: string): string {
  if (/[{}]/.test(prefix) || /[{}]/.test(entity) || entity === '') {
    throw new TypeError(`entityKey: prefix and entity may not contain { or } (got "${prefix}", "${entity}"): the hash tag must be the id`);
  }
  const validId = typeof id === 'number' ? Number.isSafeInteger(id) : typeof id === 'string' && id !== '' && !/[{}]/.test(id);
  if (!validId) {
    throw new TypeError(`entityKey: the id must be a safe integer or a non-empty string without braces, got ${String(id)}`);
  }
  return `${prefix}${entity}:{${id}}:${field}`;
}

/**
 * The values of `keys`, in the caller's order, from any number of slots:
 * one pipeline per node, one MGET per slot inside it. Like MGET, a missing key
 * (or one that holds no string) is null.
 */
export async function mgetAcrossSlots(cluster: Cluster, keys: readonly string[]): Promise<Array<string | null>> {
  // Stryker disable next-line ArrayDeclaration: every position is written below, so the length given here changes nothing
  const values: Array<string | null> = new Array(keys.length).fill(null);
  // The positions of the keys, by slot; the slots, by the node that owns them.
  const bySlot = groupBy(keys.keys(), (position) => keySlot(keys[position]!));
  // Stryker disable next-line StringLiteral: any one name for "no slot map yet" groups the same
  const byNode = groupBy(bySlot, ([slot]) => cluster.slots[slot]?.[0] ?? 'not known yet'); // before the first slot map

  await Promise.all(
    [...byNode.values()].map(async (slots) => {
      const pipeline = cluster.pipeline();
      for (const [, positions] of slots) pipeline.mget(...positions.map((p) => keys[p]!));
      // Stryker disable next-line ArrayDeclaration: a pipeline's exec answers null only for a discarded MULTI, which this never is
      const replies = (await pipeline.exec()) ?? [];
      replies.forEach(([error, reply], i) => {
        if (error) throw error;
        const [, positions] = slots[i]!;
        positions.forEach((position, j) => (values[position] = (reply as Array<string | null>)[j] ?? null));
      });
    }),
  );
  return values;
}

export interface ClusterPatternOptions {
  /** How many keys SCAN looks at per call, on each master. */
  count?: number;
}

/**
 * Removes every key that matches `pattern` from every master: SCAN on each
 * (replicas hold copies), and one UNLINK per slot of each page, since one
 * UNLINK across slots is CROSSSLOT even on a single node. Says how many.
 */
export async function invalidatePatternCluster(
  cluster: Cluster,
  pattern: string,
  { count = 1000 }: ClusterPatternOptions = {},
): Promise<number> {
  if (typeof pattern !== 'string' || pattern === '' || /^[*?[]/.test(pattern)) {
    throw new RangeError(`invalidatePatternCluster: "${String(pattern)}" has no literal prefix; it would match every key in the cluster`);
  }
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`invalidatePatternCluster: count must be a positive integer, got ${String(count)}`);
  }
  const removed = await Promise.all(cluster.nodes('master').map((node) => invalidateOnNode(node, pattern, count)));
  return removed.reduce((sum, n) => sum + n, 0);
}

async function invalidateOnNode(node: Redis, pattern: string, count: number): Promise<number> {
  // Stryker disable next-line StringLiteral: equivalent on ioredis-mock only, which reads an empty cursor as 0; a real Redis refuses it (the one-server specs kill it with --redis real)
  let cursor = '0';
  let removed = 0;
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
    cursor = next;
    const bySlot = groupBy(keys, (key) => keySlot(key));
    const unlinked = await Promise.all([...bySlot.values()].map((slotKeys) => node.unlink(...slotKeys)));
    removed += unlinked.reduce((sum, n) => sum + n, 0);
  } while (cursor !== '0');
  return removed;
}

function groupBy<T, K>(items: Iterable<T>, keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
