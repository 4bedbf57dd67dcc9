import { afterEach, describe, expect, it, vi } from 'vitest';
import { invalidateKeys, invalidatePattern } from '@kata/05-invalidation/invalidate.js';
import { expectRefusal } from '../support/refusal.js';
import { useRedis } from '../support/redis.js';
import { scanKeys, scanThatRepeats, writeKeys } from './keys.js';

const ns = useRedis();
const remaining = () => scanKeys(ns.redis, `${ns.prefix}*`, ns.prefix);
const names = (count: number, make: (i: number) => string) => Array.from({ length: count }, (_, i) => make(i));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('invalidateKeys (by key)', () => {
  it('removes the keys it is given and says how many existed', async () => {
    await writeKeys(ns.redis, ns.prefix, ['user:1', 'user:2', 'user:3']);
    expect(await invalidateKeys(ns.redis, [ns.key('user', 1), ns.key('user', 2), ns.key('user', 99)])).toBe(2);
    expect(await remaining()).toEqual(['user:3']);
  });

  it('removes with UNLINK, which frees a big value off the main thread (DEL frees it inline)', async () => {
    await writeKeys(ns.redis, ns.prefix, ['user:1']);
    const unlink = vi.spyOn(ns.redis, 'unlink');
    const del = vi.spyOn(ns.redis, 'del');
    await invalidateKeys(ns.redis, [ns.key('user', 1)]);
    expect(unlink, 'UNLINK was never sent: remove the keys with redis.unlink(...keys)').toHaveBeenCalled();
    expect(del, 'DEL was sent: it frees a big value on the main thread; use redis.unlink').not.toHaveBeenCalled();
  });

  it('treats no keys as nothing to do (UNLINK with no keys is a Redis error)', async () => {
    await expect(invalidateKeys(ns.redis, [])).resolves.toBe(0);
  });
});

describe('invalidatePattern (by pattern)', () => {
  it('removes every key that matches and nothing else', async () => {
    await writeKeys(ns.redis, ns.prefix, ['user:1:profile', 'user:1:orders', 'user:10:profile', 'product:1']);
    expect(await invalidatePattern(ns.redis, `${ns.prefix}user:1:*`)).toBe(2);
    expect(await remaining()).toEqual(['product:1', 'user:10:profile']);
  });

  it('never sends KEYS, which walks every key of the server in one blocking command', async () => {
    await writeKeys(ns.redis, ns.prefix, ['user:1:profile']);
    const keys = vi.spyOn(ns.redis, 'keys');
    await invalidatePattern(ns.redis, `${ns.prefix}user:1:*`);
    expect(keys).not.toHaveBeenCalled();
    expect(await remaining()).toEqual([]);
  });

  it('keeps walking past empty pages: the one matching key may come on any call, and many calls find nothing', async () => {
    await writeKeys(ns.redis, ns.prefix, names(200, (i) => `other:${i}`));
    await writeKeys(ns.redis, ns.prefix, ['user:1:profile']);
    expect(await invalidatePattern(ns.redis, `${ns.prefix}user:1:*`, { count: 50 })).toBe(1);
    expect(await remaining()).not.toContain('user:1:profile');
    expect((await remaining()).length).toBe(200);
  });

  it('counts what UNLINK removed, not what SCAN returned: SCAN may return a key more than once', async () => {
    await writeKeys(ns.redis, ns.prefix, names(30, (i) => `other:${i}`));
    await writeKeys(ns.redis, ns.prefix, ['user:1:profile']);
    expect(await invalidatePattern(scanThatRepeats(ns.redis), `${ns.prefix}user:1:*`, { count: 50 })).toBe(1);
  });

  it('refuses a pattern with no literal start (it would match every key of the server) and a count that is not a positive integer, before sending anything', async () => {
    await writeKeys(ns.redis, ns.prefix, ['user:1:profile']);
    const scan = vi.spyOn(ns.redis, 'scan');
    // These match only this test's keys, so a version that runs them anyway cannot harm your Redis.
    await expectRefusal(() => invalidatePattern(ns.redis, `?${ns.prefix.slice(1)}*`), RangeError, 'pattern');
    await expectRefusal(() => invalidatePattern(ns.redis, `[${ns.prefix[0]}]${ns.prefix.slice(1)}*`), RangeError, 'pattern');
    await expectRefusal(() => invalidatePattern(ns.redis, ''), RangeError, 'pattern');
    await expectRefusal(() => invalidatePattern(ns.redis, `${ns.prefix}x:*`, { count: 0 }), RangeError, 'count');
    await expectRefusal(() => invalidatePattern(ns.redis, `${ns.prefix}x:*`, { count: 1.5 }), RangeError, 'count');
    expect(scan).not.toHaveBeenCalled();
    expect(await remaining()).toEqual(['user:1:profile']);
  });
});
