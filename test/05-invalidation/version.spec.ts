import { describe, expect, it } from 'vitest';
import { VersionedCache } from '@kata/05-invalidation/version.js';
import { useRedis } from '../support/redis.js';
import { heldLoad } from './keys.js';

const ns = useRedis();

/** Two application processes: each has its own connection and its own VersionedCache. */
async function twoProcesses(): Promise<[VersionedCache, VersionedCache]> {
  return [new VersionedCache(ns.redis, ns.prefix), new VersionedCache(await ns.connect(), ns.prefix)];
}

describe('VersionedCache (by version, source 9.1)', () => {
  it('reads back what it stored under the current version', async () => {
    const [a] = await twoProcesses();
    await a.set('user:1', { name: 'Ada' }, 60);
    expect(await a.get('user:1')).toEqual({ hit: true, value: { name: 'Ada' } });
  });

  it('makes every entry a miss after invalidateAll', async () => {
    const [a] = await twoProcesses();
    await a.set('user:1', { name: 'Ada' }, 60);
    await a.set('user:2', { name: 'Grace' }, 60);
    await a.invalidateAll();
    expect(await a.get('user:1')).toEqual({ hit: false });
    expect(await a.get('user:2')).toEqual({ hit: false });
  });

  it('shows a bump to every process at once (the source\'s global CACHE_VERSION changes in one process only)', async () => {
    const [a, b] = await twoProcesses();
    await a.set('user:1', { name: 'Ada' }, 60);
    expect(await b.get('user:1')).toEqual({ hit: true, value: { name: 'Ada' } });
    await a.invalidateAll();
    expect(await b.get('user:1')).toEqual({ hit: false });
  });

  it('lets every process read what another wrote after the bump', async () => {
    const [a, b] = await twoProcesses();
    await a.invalidateAll();
    await b.set('user:1', { name: 'Ada, updated' }, 60);
    expect(await a.get('user:1')).toEqual({ hit: true, value: { name: 'Ada, updated' } });
  });

  it('agrees on the version number in every process, and each bump returns the new one', async () => {
    const [a, b] = await twoProcesses();
    const before = await a.version();
    expect(await b.invalidateAll()).toBe(before + 1);
    expect(await a.version()).toBe(before + 1);
    expect(await b.version()).toBe(before + 1);
  });

  it('deletes nothing on a bump: the old version\'s entries stay until their own TTL ends', async () => {
    const [a] = await twoProcesses();
    await a.set('user:1', { name: 'Ada' }, 60);
    const oldKey = await a.keyFor('user:1');
    await a.invalidateAll();
    expect(await a.keyFor('user:1')).not.toBe(oldKey);
    expect(await ns.redis.ttl(oldKey)).toBeGreaterThan(0);
  });

  it('keeps the version under its prefix, so two caches with different prefixes bump separately', async () => {
    const users = new VersionedCache(ns.redis, ns.key('users') + ':');
    const products = new VersionedCache(ns.redis, ns.key('products') + ':');
    await users.set('1', 'Ada', 60);
    await products.set('1', 'lamp', 60);
    await users.invalidateAll();
    expect(await users.get('1')).toEqual({ hit: false });
    expect(await products.get('1')).toEqual({ hit: true, value: 'lamp' });
  });

  it('getOrLoad loads on a miss, stores, and serves the stored value after', async () => {
    const [a, b] = await twoProcesses();
    expect(await a.getOrLoad('user:1', 60, async () => 'Ada')).toBe('Ada');
    expect(await b.getOrLoad('user:1', 60, async () => 'not loaded: cached')).toBe('Ada');
    expect(await b.get('user:1')).toEqual({ hit: true, value: 'Ada' });
  });

  it('lets a bump win over a load already in flight: what the load read before the bump is never served after it', async () => {
    const [a, b] = await twoProcesses();
    const held = heldLoad<string>();
    const slow = a.getOrLoad('user:1', 60, held.load);
    await held.begun; // the load has read the old row
    await b.invalidateAll(); // the row changed, and the cache was invalidated
    held.finish('old Ada');
    expect(await slow).toBe('old Ada'); // its own caller gets what it loaded
    expect(await b.get('user:1')).toEqual({ hit: false });
    expect(await b.getOrLoad('user:1', 60, async () => 'new Ada')).toBe('new Ada');
  });
});
