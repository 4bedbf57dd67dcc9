import { describe, expect, it } from 'vitest';
import { keyPattern } from '@kata/05-invalidation/patterns.js';
import { useRedis } from '../support/redis.js';
import { scanKeys, writeKeys } from './keys.js';

const ns = useRedis();
const matching = (pattern: string) => scanKeys(ns.redis, pattern, ns.prefix);

describe('keyPattern, deeper', () => {
  it('matches exactly the user whose id is literally *, ?, [12] or \\', async () => {
    await writeKeys(ns.redis, ns.prefix, ['user:*:profile', 'user:?:profile', 'user:[12]:profile', 'user:\\:profile', 'user:1:profile', 'user:2:profile']);
    expect(await matching(keyPattern(ns.prefix, 'user', '*'))).toEqual(['user:*:profile']);
    expect(await matching(keyPattern(ns.prefix, 'user', '?'))).toEqual(['user:?:profile']);
    expect(await matching(keyPattern(ns.prefix, 'user', '[12]'))).toEqual(['user:[12]:profile']);
    expect(await matching(keyPattern(ns.prefix, 'user', '\\'))).toEqual(['user:\\:profile']);
  });

  it('says why it refuses the prefix alone', () => {
    expect(() => keyPattern('app:')).toThrow(/^keyPattern: parts must hold at least one part/);
  });
});
