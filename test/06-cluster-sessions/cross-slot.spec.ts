import { describe, expect, it, vi } from 'vitest';
import type { Cluster, Redis } from 'ioredis';
import { entityKey, invalidatePatternCluster, mgetAcrossSlots } from '@kata/06-cluster-sessions/cross-slot.js';
import { keySlot } from '@kata/06-cluster-sessions/key-slot.js';
import { escapeGlob, onCluster, useCluster, useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';
import { slotsOf, untouchable } from './cluster-helpers.js';

const ns = useRedis();
const shared = useCluster(ns);

describe('entityKey: one entity, one slot', () => {
  it('puts the id in a hash tag: user:{42}:profile', () => {
    expect(entityKey('app:', 'user', 42, 'profile')).toBe('app:user:{42}:profile');
    expect(entityKey('', 'user', 'ada', 'orders')).toBe('user:{ada}:orders');
  });

  it('refuses a prefix or an entity with a brace (its { would start the tag and steal it from the id), and an empty entity, with a TypeError that names it', async () => {
    await expectRefusal(() => entityKey('app:{eu}:', 'user', 42, 'profile'), TypeError, 'prefix');
    await expectRefusal(() => entityKey('app:', 'user{', 42, 'profile'), TypeError, 'entity');
    await expectRefusal(() => entityKey('app:', '', 42, 'profile'), TypeError, 'entity'); // ':{42}:profile' has no entity
  });

  it('refuses an empty id ({} is no tag: the fields would scatter over the slots), ids with braces and numbers that are no safe integer, with a TypeError that names the id', async () => {
    for (const id of ['', 'a}b', '{x', Number.NaN, 1.5, Infinity, undefined, null]) {
      await expectRefusal(() => entityKey('app:', 'user', id as string, 'profile'), TypeError, 'id');
    }
  });

  it('refuses a pattern with no literal start, and a count that is no positive integer, with a RangeError, before sending anything', async () => {
    await expectRefusal(() => invalidatePatternCluster(untouchable, '*'), RangeError, 'pattern');
    await expectRefusal(() => invalidatePatternCluster(untouchable, ''), RangeError, 'pattern');
    await expectRefusal(() => invalidatePatternCluster(untouchable, 'app:*', { count: 0 }), RangeError, 'count');
  });
});

/**
 * A stand-in cluster of masters that are all the lesson's Redis (the mock or a real single server), for the
 * parts of the cross-slot helpers that are plain logic: grouping by node, order, paging. `owners` says which
 * node owns each slot, as Cluster#slots does ('' for a client that has no slot map yet).
 */
function clusterOn(redis: Redis, { masters = 1, owners = (_slot: number): string => '' } = {}): Cluster {
  const slots = Array.from({ length: 16_384 }, (_, slot) => (owners(slot) ? [owners(slot)] : undefined));
  return {
    slots,
    pipeline: () => redis.pipeline(),
    mget: (...keys: string[]) => redis.mget(...keys),
    unlink: (...keys: string[]) => redis.unlink(...keys),
    nodes: (role: string) => (role === 'master' ? Array.from({ length: masters }, () => redis) : []),
  } as unknown as Cluster;
}

describe('the cross-slot helpers on one server (what they do besides talking to several nodes)', () => {
  it('mgetAcrossSlots answers in the caller\'s order, null for a missing key, even before the client knows the slot map', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => ns.key('user', i));
    await Promise.all(keys.map((key, i) => (i % 4 !== 0 ? ns.redis.set(key, `v${i}`, 'EX', 60) : null)));
    expect(await mgetAcrossSlots(clusterOn(ns.redis), keys)).toEqual(keys.map((_, i) => (i % 4 !== 0 ? `v${i}` : null)));
    expect(await mgetAcrossSlots(clusterOn(ns.redis), [])).toEqual([]);
  });

  it('mgetAcrossSlots keeps duplicates in place and sends one pipeline per node that owns a slot, not one per key', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => ns.key('item', i));
    await Promise.all(keys.map((key, i) => ns.redis.set(key, `v${i}`, 'EX', 60)));
    const cluster = clusterOn(ns.redis, { owners: (slot) => (slot < 8_192 ? '127.0.0.1:7000' : '127.0.0.1:7001') });
    const pipelines = vi.spyOn(cluster, 'pipeline');
    expect(await mgetAcrossSlots(cluster, [...keys, keys[0]!])).toEqual([...keys.map((_, i) => `v${i}`), 'v0']);
    expect(pipelines).toHaveBeenCalledTimes(2);
  });

  it('invalidatePatternCluster pages through SCAN to the end on each master and says how many keys it removed, and only those', async () => {
    const doomed = Array.from({ length: 60 }, (_, i) => ns.key('page', i));
    const kept = [ns.key('pages'), ns.key('other', 1)];
    await Promise.all([...doomed, ...kept].map((key) => ns.redis.set(key, 'x', 'EX', 60)));
    const cluster = clusterOn(ns.redis, { masters: 2 }); // two masters that are one server: the second finds nothing left
    const unlink = vi.spyOn(ns.redis, 'unlink');
    expect(await invalidatePatternCluster(cluster, `${escapeGlob(ns.prefix)}page:*`, { count: 7 })).toBe(60);
    expect(await Promise.all(doomed.map((key) => ns.redis.exists(key)))).toEqual(doomed.map(() => 0));
    expect(await Promise.all(kept.map((key) => ns.redis.exists(key)))).toEqual([1, 1]);
    for (const keys of unlink.mock.calls) expect(new Set(keys.map((key) => keySlot(key as unknown as string))).size, 'one UNLINK, one slot').toBe(1);
    expect(await invalidatePatternCluster(cluster, `${escapeGlob(ns.prefix)}page:*`)).toBe(0);
    await ns.redis.set(ns.key('page', 'last'), 'x', 'EX', 60);
    expect(await invalidatePatternCluster(cluster, `${escapeGlob(ns.prefix)}page:*`, { count: 1 })).toBe(1); // the smallest count there is
  });
});

describe('on the real cluster', () => {
  onCluster()('mgetAcrossSlots returns the values of keys in many slots, in the caller\'s order, null for the missing', async () => {
    const keys = Array.from({ length: 300 }, (_, i) => ns.key('user', i));
    expect(new Set(await slotsOf(shared.cluster, keys)).size).toBeGreaterThan(100);
    await Promise.all(keys.map((key, i) => (i % 3 !== 0 ? shared.cluster.set(key, `v${i}`, 'EX', 60) : null)));
    const values = await mgetAcrossSlots(shared.cluster, keys);
    expect(values).toEqual(keys.map((_, i) => (i % 3 !== 0 ? `v${i}` : null)));
  });

  onCluster()('invalidatePatternCluster removes the matching keys from every master (SCAN walks one node), and only them', async () => {
    const doomed = Array.from({ length: 120 }, (_, i) => ns.key('page', i));
    const kept = [ns.key('pages'), ns.key('other', 1), ns.key('page')];
    await Promise.all([...doomed, ...kept].map((key) => shared.cluster.set(key, 'x', 'EX', 60)));
    const owners = new Set((await slotsOf(shared.cluster, doomed)).map((slot) => shared.cluster.slots[slot]![0]));
    expect(owners.size).toBe(shared.cluster.nodes('master').length); // the keys are on every master

    expect(await invalidatePatternCluster(shared.cluster, `${escapeGlob(ns.prefix)}page:*`, { count: 10 })).toBe(120);
    expect(await existsEach(doomed)).toEqual(doomed.map(() => 0));
    expect(await existsEach(kept)).toEqual(kept.map(() => 1));
  });

});

/** EXISTS per key (each key its own command, so slots do not matter). */
async function existsEach(keys: string[]): Promise<number[]> {
  return Promise.all(keys.map((key) => shared.cluster.exists(key)));
}
