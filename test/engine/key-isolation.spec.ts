/**
 * A learner's own Redis is sacred: specs touch only keys under their own prefix,
 * and the sweep after a spec file removes exactly those.
 */
import { describe, expect, it } from 'vitest';
import { connectCluster, deleteKeysWithPrefix, onCluster, useRedis } from '../support/redis.js';

const ns = useRedis();

describe('test/support/redis.ts', () => {
  it('gives each test its own prefix under cachelings:test:', () => {
    expect(ns.prefix).toMatch(/^cachelings:test:[a-z0-9]+:\d+:\d+:$/);
    expect(ns.key('user', 1)).toBe(`${ns.prefix}user:1`);
  });

  it('sweeps only its prefix: neighbours that merely start alike, and glob characters, survive', async () => {
    const base = ns.prefix;
    const mine = [`${base}1:a`, `${base}1:b`];
    // Outside "<base>1:" although they share its first characters, or contain glob syntax.
    const neighbours = [`${base}10:a`, `${base}1`, `${base}1*`, `${base}?:a`];
    for (const key of [...mine, ...neighbours]) await ns.redis.set(key, 'v', 'EX', 60);

    expect(await deleteKeysWithPrefix(ns.redis, `${base}1:`)).toBe(2);
    expect(await ns.redis.exists(...mine)).toBe(0);
    expect(await ns.redis.exists(...neighbours)).toBe(neighbours.length);
  });

  it('leaves a key that existed before unchanged: same value, same TTL', async () => {
    const before = ns.key('pre-existing');
    await ns.redis.set(before, 'learner data', 'EX', 600);
    await deleteKeysWithPrefix(ns.redis, `${ns.prefix}other:`);
    expect(await ns.redis.get(before)).toBe('learner data');
    expect(await ns.redis.ttl(before)).toBeGreaterThan(590);
  });

  onCluster()('reaches the real cluster, where keys sharing a {hash tag} allow multi-key commands', async () => {
    const cluster = await connectCluster();
    try {
      const tag = `{${ns.prefix}}`;
      await cluster.mset(`${tag}:a`, '1', `${tag}:b`, '2');
      expect(await cluster.mget(`${tag}:a`, `${tag}:b`)).toEqual(['1', '2']);
      await expect(cluster.mset(`${ns.prefix}x`, '1', `${ns.prefix}y`, '2')).rejects.toThrow(/CROSSSLOT/);
      await cluster.del(`${tag}:a`, `${tag}:b`);
    } finally {
      cluster.disconnect();
    }
  });
});
