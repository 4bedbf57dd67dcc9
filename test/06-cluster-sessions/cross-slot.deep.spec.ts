import { describe, expect, it, vi } from 'vitest';
import type { Cluster } from 'ioredis';
import { entityKey, invalidatePatternCluster, mgetAcrossSlots } from '@kata/06-cluster-sessions/cross-slot.js';
import { escapeGlob, onCluster, useCluster, useRedis } from '../support/redis.js';

const ns = useRedis();
const shared = useCluster(ns);

/** A cluster that fails the test if anything is asked of it: for input that must be refused before Redis. */
const untouchable = new Proxy({} as Cluster, {
  get(_, property) {
    throw new Error(`the cluster was used (${String(property)}) although the input should have been refused first`);
  },
});

/** The slot of each key, asked of the real cluster. */
async function slotsOf(keys: string[]): Promise<number[]> {
  return Promise.all(keys.map(async (key) => Number(await shared.cluster.call('CLUSTER', 'KEYSLOT', key))));
}

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
  it('mgetAcrossSlots lets an error in a node\'s pipeline reach the caller instead of answering null', async () => {
    const pipeline = { mget: () => pipeline, exec: async () => [[new Error('LOADING Redis is loading the dataset'), null]] };
    const cluster = { slots: [], pipeline: () => pipeline } as unknown as Cluster;
    await expect(mgetAcrossSlots(cluster, ['a', 'b'])).rejects.toThrow(/LOADING/);
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
    expect(new Set(await slotsOf([profile, orders])).size).toBe(1);
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
