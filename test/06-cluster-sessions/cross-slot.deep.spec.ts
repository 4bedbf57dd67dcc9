import { once } from 'node:events';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Cluster, Redis } from 'ioredis';
import { entityKey, invalidatePatternCluster, mgetAcrossSlots } from '@kata/06-cluster-sessions/cross-slot.js';
import { escapeGlob, onCluster, useCluster, useRedis } from '../support/redis.js';
import { startRedisCluster, withOwnCluster, type ThrowawayCluster } from '../support/redis-cluster.js';
import { slotsOf, untouchable } from './cluster-helpers.js';

const ns = useRedis();
const shared = useCluster(ns);

describe('entityKey and the refusals: the corners', () => {
  it('says why it refuses', () => {
    expect(() => entityKey('app:{eu}:', 'user', 42, 'profile')).toThrow(/entityKey: prefix and entity may not contain \{ or \} \(got "app:\{eu\}:", "user"\)/);
    expect(() => entityKey('app:', 'user', 'a}b', 'profile')).toThrow(/entityKey: the id must be .*got a\}b/);
  });

  it('takes glob characters in an id literally: they mean nothing in a key', () => {
    expect(entityKey('app:', 'user', '*', 'profile')).toBe('app:user:{*}:profile');
  });

  it('refuses bad input for the cluster functions before sending anything, and says why', async () => {
    await expect(invalidatePatternCluster(untouchable, '*')).rejects.toThrow(/invalidatePatternCluster: pattern "\*" has no literal prefix/);
    await expect(invalidatePatternCluster(untouchable, undefined as unknown as string)).rejects.toThrow(RangeError);
    await expect(invalidatePatternCluster(untouchable, 'app:*', { count: 0 })).rejects.toThrow(/count must be a positive integer, got 0/);
    await expect(invalidatePatternCluster(untouchable, 'app:*', { count: Number.NaN })).rejects.toThrow(RangeError);
  });
});

describe('the cross-slot helpers when a node answers an error', () => {
  it('mgetAcrossSlots lets an error that a second attempt meets too reach the caller instead of answering null', async () => {
    const loading = () => new Error('LOADING Redis is loading the dataset');
    const pipeline = { mget: () => pipeline, exec: async () => [[loading(), null], [loading(), null]] }; // a and b: two slots
    const cluster = { slots: [], pipeline: () => pipeline, mget: async () => Promise.reject(loading()) } as unknown as Cluster;
    await expect(mgetAcrossSlots(cluster, ['a', 'b'])).rejects.toThrow(/LOADING/);
  });

  it('mgetAcrossSlots asks again, key by key through the cluster client, for a slot whose MGET was redirected (MOVED, ASK, TRYAGAIN), and answers every key', async () => {
    const stored: Record<string, string> = { a: 'A', b: 'B', '{x}1': 'X1', '{x}2': 'X2' };
    const order: string[][] = [];
    const pipeline = {
      mget: (...keys: string[]) => (order.push(keys), pipeline),
      // The slot of {x} moved: its MGET is redirected, the others are answered.
      exec: async () => order.map((keys) => (keys[0]!.startsWith('{x}') ? [new Error('MOVED 16287 127.0.0.1:7002'), null] : [null, keys.map((k) => stored[k] ?? null)])),
    };
    const mget = vi.fn(async (...keys: string[]) => keys.map((k) => stored[k] ?? null));
    const cluster = { slots: [], pipeline: () => pipeline, mget } as unknown as Cluster;
    expect(await mgetAcrossSlots(cluster, ['a', '{x}1', 'b', '{x}2', 'c'])).toEqual(['A', 'X1', 'B', 'X2', null]);
    expect(mget.mock.calls).toEqual([['{x}1'], ['{x}2']]); // one key per command: one key never gets TRYAGAIN
  });

  it('mgetAcrossSlots asks again for every slot of a pipeline that ioredis refused to send (the slot map changed under it)', async () => {
    const pipeline = { mget: () => pipeline, exec: async () => Promise.reject(new Error('All keys in the pipeline should belong to the same slots allocation group')) };
    const mget = vi.fn(async (key: string) => [key === 'gone' ? null : key.toUpperCase()]);
    const cluster = { slots: [], pipeline: () => pipeline, mget } as unknown as Cluster;
    expect(await mgetAcrossSlots(cluster, ['a', 'gone', 'b'])).toEqual(['A', null, 'B']);
  });
});

describe('on the real cluster: what it refuses, and the corners', () => {
  onCluster()('refuses MGET, DEL, MULTI and Lua across slots with CROSSSLOT (what the source never meets on one node)', async () => {
    const a = ns.key('{a}');
    const b = ns.key('{b}');
    await expect(shared.cluster.mget(a, b)).rejects.toThrow(/CROSSSLOT/);
    await expect(shared.cluster.del(a, b)).rejects.toThrow(/CROSSSLOT/);
    await expect(shared.cluster.multi().set(a, '1').set(b, '1').exec()).rejects.toThrow(/CROSSSLOT|slot/i);
    await expect(shared.cluster.eval("return redis.call('GET', KEYS[1])", 2, a, b)).rejects.toThrow(/CROSSSLOT/);
  });

  onCluster()('has ioredis refuse a pipeline whose keys live on different nodes, before it sends anything', async () => {
    const keys = ['{a}', '{b}', '{c}'].map((tag) => ns.key(tag)); // slots 15495, 3300, 7365: three masters of npm run redis:up
    const pipeline = shared.cluster.pipeline();
    for (const key of keys) pipeline.set(key, '1', 'EX', 60);
    await expect(pipeline.exec()).rejects.toThrow(/same slots allocation group/);
    expect(await existsEach(keys)).toEqual([0, 0, 0]);
  });

  onCluster()('lets one entity\'s keys meet in MGET, MULTI and Lua, because entityKey gives them one slot', async () => {
    const profile = entityKey(ns.prefix, 'user', 42, 'profile');
    const orders = entityKey(ns.prefix, 'user', 42, 'orders');
    expect(new Set(await slotsOf(shared.cluster, [profile, orders])).size).toBe(1);
    await shared.cluster.multi().set(profile, 'Ada', 'EX', 60).set(orders, '3', 'EX', 60).exec();
    expect(await shared.cluster.mget(profile, orders)).toEqual(['Ada', '3']);
    expect(await shared.cluster.eval("return redis.call('GET', KEYS[1]) .. '/' .. redis.call('GET', KEYS[2])", 2, profile, orders)).toBe('Ada/3');
  });

  onCluster()('mgetAcrossSlots sends one pipeline per node, not one round trip per key', async () => {
    const keys = Array.from({ length: 90 }, (_, i) => ns.key('item', i));
    await Promise.all(keys.map((key) => shared.cluster.set(key, 'x', 'EX', 60)));
    const pipelines = vi.spyOn(shared.cluster, 'pipeline');
    const gets = vi.spyOn(shared.cluster, 'get');
    await mgetAcrossSlots(shared.cluster, keys);
    expect(gets).not.toHaveBeenCalled();
    expect(pipelines.mock.calls.length).toBeGreaterThan(0);
    expect(pipelines.mock.calls.length).toBeLessThanOrEqual(shared.cluster.nodes('master').length);
  });

  onCluster()('mgetAcrossSlots keeps duplicates in place, answers [] for no keys, and null for a key that holds a list', async () => {
    const a = ns.key('dup', 'a');
    const list = ns.key('dup', 'list');
    await shared.cluster.set(a, 'A', 'EX', 60);
    await shared.cluster.rpush(list, 'x');
    expect(await mgetAcrossSlots(shared.cluster, [a, list, a])).toEqual(['A', null, 'A']);
    expect(await mgetAcrossSlots(shared.cluster, [])).toEqual([]);
  });

  onCluster()('invalidatePatternCluster takes glob characters in the literal part literally when they are escaped', async () => {
    const star = ns.key('user', '*', 'a');
    const other = ns.key('user', '7', 'a');
    await shared.cluster.set(star, 'x', 'EX', 60);
    await shared.cluster.set(other, 'x', 'EX', 60);
    expect(await invalidatePatternCluster(shared.cluster, `${escapeGlob(ns.key('user', '*'))}:*`)).toBe(1);
    expect(await shared.cluster.exists(other)).toBe(1);
  });
});

/** EXISTS per key (each key its own command, so slots do not matter). */
async function existsEach(keys: string[]): Promise<number[]> {
  return Promise.all(keys.map((key) => shared.cluster.exists(key)));
}

/**
 * A slot that moves while a helper works (issue: a cluster that reshapes itself under a multi-key
 * helper). A cluster of the spec's own, three masters on free ports, never the shared one: moving
 * a slot changes server state. The slot is moved the way `redis-cli --cluster reshard` does it:
 * IMPORTING on the new owner, MIGRATING on the old one, MIGRATE of its keys, then SETSLOT NODE.
 */
describe('through a slot migration (a cluster of its own: 3 masters on free ports)', () => {
  let own: ThrowawayCluster | undefined;
  let client: Cluster | undefined;
  const admins: Redis[] = [];
  afterAll(async () => {
    client?.disconnect();
    admins.forEach((admin) => admin.disconnect());
    await own?.stop();
  });

  /** The cluster, a client that knows its slot map, and an admin connection per master (started once). */
  async function cluster() {
    if (!own) {
      own = await startRedisCluster({ replicas: false });
      for (const master of own.masters) {
        const admin = new Redis(master.port, '127.0.0.1', { maxRetriesPerRequest: 0 });
        admin.on('error', () => {});
        admins.push(admin);
      }
      client = new Cluster(own.nodes, { redisOptions: { commandTimeout: 5_000 } });
      client.on('error', () => {});
      await once(client, 'ready');
    }
    return { own, client: client!, admins };
  }

  /** Moves `slot` from the master that owns it to the next one; `finish` says whether SETSLOT NODE ends it. */
  async function moveSlot(slot: number, { finish }: { finish: boolean }) {
    const { own } = await cluster();
    const from = own.masters.findIndex((m) => slot >= m.slots![0] && slot <= m.slots![1]);
    const to = (from + 1) % own.masters.length;
    const [source, target] = [admins[from]!, admins[to]!];
    await target.call('CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', own.masters[from]!.id);
    await source.call('CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', own.masters[to]!.id);
    const keys = (await source.call('CLUSTER', 'GETKEYSINSLOT', String(slot), '1000')) as string[];
    if (keys.length > 0) await source.call('MIGRATE', '127.0.0.1', String(own.masters[to]!.port), '', '0', '5000', 'KEYS', ...keys);
    const end = () => Promise.all(admins.map((admin) => admin.call('CLUSTER', 'SETSLOT', String(slot), 'NODE', own.masters[to]!.id)));
    if (finish) await end();
    return { from, to, moved: keys, end };
  }

  const slotOf = async (key: string) => Number(await admins[0]!.call('CLUSTER', 'KEYSLOT', key));

  withOwnCluster()('mgetAcrossSlots answers every key while a slot is being moved (ASK) and after it moved (MOVED), never throwing nor answering part', async () => {
    const { client } = await cluster();
    const keys = [...Array.from({ length: 60 }, (_, i) => ns.key('item', i)), ...Array.from({ length: 5 }, (_, i) => ns.key('{moving}', i))];
    await Promise.all(keys.map((key, i) => client.set(key, `v${i}`)));
    const expected = keys.map((_, i) => `v${i}`);
    const slot = await slotOf(keys.at(-1)!);

    // Mid-migration: the keys of the slot are on the new owner, the client's map still names the old one.
    const move = await moveSlot(slot, { finish: false });
    expect(move.moved).toHaveLength(5);
    expect(await mgetAcrossSlots(client, [...keys, ns.key('missing')])).toEqual([...expected, null]);

    // Moved: the old owner answers MOVED, and ioredis sends the node's whole pipeline to the new one.
    await move.end();
    expect(await mgetAcrossSlots(client, keys)).toEqual(expected);
  }, 30_000);

  withOwnCluster()('invalidatePatternCluster removes a key that moved between its SCAN and its UNLINK, and counts it once', async () => {
    const { own, client } = await cluster();
    const doomed = [...Array.from({ length: 60 }, (_, i) => ns.key('page', i)), ...Array.from({ length: 5 }, (_, i) => ns.key('page', '{scanned}', i))];
    const kept = [ns.key('pages'), ns.key('other', 1)];
    await Promise.all([...doomed, ...kept].map((key) => client.set(key, 'x')));
    const slot = await slotOf(doomed.at(-1)!);
    const owner = own.masters.find((m) => slot >= m.slots![0] && slot <= m.slots![1])!;
    const node = client.nodes('master').find((n) => n.options.port === owner.port)!;

    // The old owner's SCAN finds the slot's keys; before the helper UNLINKs them, they move.
    const scan = node.scan.bind(node) as (...args: unknown[]) => Promise<[string, string[]]>;
    let move: Awaited<ReturnType<typeof moveSlot>> | undefined;
    vi.spyOn(node, 'scan').mockImplementation((async (...args: unknown[]) => {
      const page = await scan(...args);
      move ??= await moveSlot(slot, { finish: false });
      return page;
    }) as typeof node.scan);

    expect(await invalidatePatternCluster(client, `${escapeGlob(ns.prefix)}page:*`)).toBe(doomed.length);
    expect(move?.moved).toHaveLength(5);
    expect(await Promise.all(doomed.map((key) => client.exists(key)))).toEqual(doomed.map(() => 0));
    expect(await Promise.all(kept.map((key) => client.exists(key)))).toEqual(kept.map(() => 1));
    await move!.end();
  }, 30_000);
});
