import { afterEach, describe, expect, it, vi } from 'vitest';
import { invalidatePattern } from '@kata/05-invalidation/invalidate.js';
import { onRealRedis, useRedis } from '../support/redis.js';
import { scanKeys, scanThatRepeats, writeKeys } from './keys.js';

const ns = useRedis();
const remaining = () => scanKeys(ns.redis, `${ns.prefix}*`, ns.prefix);
const names = (count: number, make: (i: number) => string) => Array.from({ length: count }, (_, i) => make(i));

afterEach(() => {
  vi.restoreAllMocks();
});

/** How many times the server has run `command` (INFO commandstats), for every client. */
async function callsOf(command: string): Promise<number> {
  const stats = await ns.redis.info('commandstats');
  return Number(new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm').exec(stats)?.[1] ?? 0);
}

describe('invalidatePattern, deeper', () => {
  onRealRedis("ioredis-mock's INFO counters do not move")(
    'leaves the server\'s KEYS counter where it was (INFO commandstats), while SCAN\'s moves',
    async () => {
      await writeKeys(ns.redis, ns.prefix, names(50, (i) => `user:1:page:${i}`));
      const [keysBefore, scansBefore] = [await callsOf('keys'), await callsOf('scan')];
      expect(await invalidatePattern(ns.redis, `${ns.prefix}user:1:*`)).toBe(50);
      expect(await callsOf('keys')).toBe(keysBefore);
      expect(await callsOf('scan')).toBeGreaterThan(scansBefore);
    },
  );

  it(
    'follows the cursor until it comes back as "0", removing page by page: 2,500 keys, 100 looked at per call',
    async () => {
      await writeKeys(ns.redis, ns.prefix, names(2500, (i) => `page:${i}`));
      const scan = vi.spyOn(ns.redis, 'scan');
      expect(await invalidatePattern(ns.redis, `${ns.prefix}page:*`, { count: 100 })).toBe(2500);
      expect(scan.mock.calls.length).toBeGreaterThanOrEqual(25); // 2,500 keys, at most about 100 a call
      expect(await remaining()).toEqual([]);
    },
  );

  it(
    'counts each of 300 keys once while SCAN repeats them on every page',
    async () => {
      await writeKeys(ns.redis, ns.prefix, names(300, (i) => `page:${i}`));
      expect(await invalidatePattern(scanThatRepeats(ns.redis), `${ns.prefix}page:*`, { count: 1000 })).toBe(300);
      expect(await remaining()).toEqual([]);
    },
  );

  it('walks with count: 1, the smallest page, and still removes every matching key', async () => {
    await writeKeys(ns.redis, ns.prefix, names(25, (i) => `user:1:page:${i}`));
    expect(await invalidatePattern(ns.redis, `${ns.prefix}user:1:*`, { count: 1 })).toBe(25);
    expect(await remaining()).toEqual([]);
  });
  it('says why it refuses a pattern with no literal start, naming the pattern', async () => {
    await writeKeys(ns.redis, ns.prefix, ['user:1:profile']);
    const scan = vi.spyOn(ns.redis, 'scan');
    // These two match only this test's keys, so a version that runs them anyway cannot harm your Redis.
    await expect(invalidatePattern(ns.redis, `?${ns.prefix.slice(1)}*`)).rejects.toThrow(RangeError);
    await expect(invalidatePattern(ns.redis, `[${ns.prefix[0]}]${ns.prefix.slice(1)}*`)).rejects.toThrow(RangeError);
    await expect(invalidatePattern(ns.redis, '')).rejects.toThrow(RangeError);
    await expect(invalidatePattern(ns.redis, '*:user')).rejects.toThrow('invalidatePattern: pattern "*:user" has no literal prefix');
    expect(scan).not.toHaveBeenCalled();
    expect(await remaining()).toEqual(['user:1:profile']);
  });

  it('refuses a count that is not a positive integer, naming count and the value', async () => {
    await expect(invalidatePattern(ns.redis, `${ns.prefix}x:*`, { count: 0 })).rejects.toThrow(RangeError);
    await expect(invalidatePattern(ns.redis, `${ns.prefix}x:*`, { count: 1.5 })).rejects.toThrow(/count .*got 1\.5/);
  });

  it('starts its walk at cursor "0", the one cursor SCAN documents as the start (Redis 7.0 happens to read an empty cursor as 0 too; the documentation promises only "0")', async () => {
    await writeKeys(ns.redis, ns.prefix, ['user:1:profile']);
    const scan = vi.spyOn(ns.redis, 'scan');
    await invalidatePattern(ns.redis, `${ns.prefix}user:1:*`);
    expect(scan.mock.calls[0]?.[0]).toBe('0');
  });
});
