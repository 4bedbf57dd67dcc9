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
 *
 * A cluster reshapes itself (a slot migrated, a replica promoted): both helpers
 * go on through MOVED and ASK, or fail with the error they met, never with
 * part of an answer.
 */
import type { Cluster, Redis } from 'ioredis';
import { groupBy } from '../../provided/group-by.js';
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
  const values = new Map<string, string | null>();
  // The keys by slot; the slots by the node that owns them (none before the client has a slot map).
  const bySlot = groupBy(new Set(keys), keySlot);
  const byNode = groupBy(bySlot.values(), (slotKeys) => cluster.slots[keySlot(slotKeys[0]!)]?.[0]);
  const perNode = [...byNode.values()].map(async (slots) => {
    const pipeline = cluster.pipeline();
    for (const slotKeys of slots) pipeline.mget(...slotKeys);
    // A pipeline that ioredis refuses to send (the slot map changed under it) fails each of its MGETs.
    const replies = await pipeline.exec().catch((error: Error) => slots.map(() => [error, null] as [Error, null]));
    const answers = await Promise.all(slots.map((slotKeys, i) => answerOf(cluster, slotKeys, replies![i]!)));
    slots.forEach((slotKeys, i) => slotKeys.forEach((key, j) => values.set(key, answers[i]![j]!)));
  });
  await Promise.all(perNode);
  return keys.map((key) => values.get(key)!);
}

/**
 * One MGET's answer. One that failed is asked again, one key per command, through the cluster
 * client: a slot that moved since the client read its slot map (MOVED), or is being moved (ASK,
 * TRYAGAIN), is followed there, and one key never gets TRYAGAIN. What fails again reaches the
 * caller: never a partial answer.
 */
async function answerOf(cluster: Cluster, slotKeys: string[], [error, reply]: [Error | null, unknown]): Promise<Array<string | null>> {
  if (!error) return reply as Array<string | null>;
  return Promise.all(slotKeys.map(async (key) => (await cluster.mget(key))[0] as string | null));
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
    throw new RangeError(`invalidatePatternCluster: pattern "${String(pattern)}" has no literal prefix; it would match every key in the cluster`);
  }
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`invalidatePatternCluster: count must be a positive integer, got ${String(count)}`);
  }
  const removed = await Promise.all(cluster.nodes('master').map((node) => invalidateOnNode(cluster, node, pattern, count)));
  return removed.reduce((sum, n) => sum + n, 0);
}

async function invalidateOnNode(cluster: Cluster, node: Redis, pattern: string, count: number): Promise<number> {
  let cursor = '0';
  let removed = 0;
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
    cursor = next;
    // UNLINK through the cluster client, not the node: a key whose slot moved since the SCAN is followed there.
    const unlinked = await Promise.all([...groupBy(keys, keySlot).values()].map((slotKeys) => cluster.unlink(...slotKeys)));
    removed += unlinked.reduce((sum, n) => sum + n, 0);
  } while (cursor !== '0');
  return removed;
}
