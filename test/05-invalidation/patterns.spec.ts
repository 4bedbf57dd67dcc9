import { describe, expect, it } from 'vitest';
import { escapeGlob, keyPattern } from '@kata/05-invalidation/patterns.js';
import { expectRefusal } from '../support/refusal.js';
import { useRedis } from '../support/redis.js';
import { scanKeys, writeKeys } from './keys.js';

const ns = useRedis();

/** The keys under this test's prefix that Redis itself says match the pattern. */
const matching = (pattern: string) => scanKeys(ns.redis, pattern, ns.prefix);

const write = (...names: string[]) => writeKeys(ns.redis, ns.prefix, names);

describe('escapeGlob', () => {
  it('puts a backslash before each of * ? [ ] and \\, the characters MATCH treats as glob', () => {
    expect(escapeGlob('*')).toBe('\\*');
    expect(escapeGlob('?')).toBe('\\?');
    expect(escapeGlob('[a-z]')).toBe('\\[a-z\\]');
    expect(escapeGlob('\\')).toBe('\\\\');
    expect(escapeGlob('a*b?c')).toBe('a\\*b\\?c');
  });

  it('leaves every other character alone, delimiters included', () => {
    const plain = 'user:1:{orders}-2024.json';
    expect(escapeGlob(plain)).toBe(plain);
  });
});

describe('keyPattern', () => {
  it("matches user 1's keys and never user 10's (the source's `user:{id}*` takes both)", async () => {
    await write('user:1:profile', 'user:1:orders', 'user:10:profile', 'user:123:orders');
    expect(await matching(keyPattern(ns.prefix, 'user', 1))).toEqual(['user:1:orders', 'user:1:profile']);
  });

  it('ends at the delimiter: keyPattern(prefix, "user", 1) is prefix + "user:1:*"', () => {
    expect(keyPattern('app:', 'user', 1)).toBe('app:user:1:*');
    expect(keyPattern('app:', 'user', 1, 'orders')).toBe('app:user:1:orders:*');
  });

  it('cannot be turned into "every user" by an id of * (it is escaped)', async () => {
    await write('user:1:profile', 'user:2:profile', 'user:10:profile');
    expect(await matching(keyPattern(ns.prefix, 'user', '*'))).toEqual([]);
    expect(await matching(keyPattern(ns.prefix, 'user', '?'))).toEqual([]);
    expect(await matching(keyPattern(ns.prefix, 'user', '[12]'))).toEqual([]);
  });

  it('escapes the prefix as well: it is a literal too', () => {
    expect(keyPattern('app[1]:', 'user', 1)).toBe('app\\[1\\]:user:1:*');
  });

  it('refuses to build a pattern from the prefix alone, which would match the whole namespace: a TypeError naming parts', async () => {
    await expectRefusal(() => keyPattern('app:'), TypeError, 'parts');
  });
});
