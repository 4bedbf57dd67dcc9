/**
 * The mock's SCAN must keep Redis's promises, or a learner's correct SCAN loop
 * would look broken on the default backend. On a real server the same specs
 * check the real thing, so the two cannot drift apart.
 */
import { describe, expect, it } from 'vitest';
import { globToRegExp } from '../support/faithful-scan.js';
import { useRedis } from '../support/redis.js';

const ns = useRedis();

async function scanAll(pattern: string, count: number, onPage?: (keys: string[]) => Promise<void>): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await ns.redis.scan(cursor, 'MATCH', pattern, 'COUNT', count);
    cursor = next;
    found.push(...keys);
    await onPage?.(keys);
  } while (cursor !== '0');
  return [...new Set(found)].sort();
}

describe('SCAN on the test backend', () => {
  it('returns every key present for the whole walk, even while the walk deletes the keys it found', async () => {
    const keys = Array.from({ length: 300 }, (_, i) => ns.key('k', i));
    await ns.redis.mset(...keys.flatMap((k) => [k, '1']));
    const seen = await scanAll(`${ns.prefix}k:*`, 10, async (page) => {
      if (page.length > 0) await ns.redis.unlink(...page);
    });
    expect(seen).toEqual([...keys].sort());
    expect(await ns.redis.exists(...keys)).toBe(0);
  });

  it('honours MATCH escapes: user:\\* matches only the key with a literal *', async () => {
    await ns.redis.mset(ns.key('user', '*'), '1', ns.key('user', '1'), '1', ns.key('user', '?'), '1');
    expect(await scanAll(`${ns.prefix}user:\\*`, 100)).toEqual([ns.key('user', '*')]);
    expect(await scanAll(`${ns.prefix}user:\\?`, 100)).toEqual([ns.key('user', '?')]);
    expect(await scanAll(`${ns.prefix}user:?`, 100)).toEqual([ns.key('user', '*'), ns.key('user', '1'), ns.key('user', '?')].sort());
  });

  it('matches character classes, ranges and negation as Redis does', async () => {
    await ns.redis.mset(...['a1', 'b2', 'c3', 'x-9'].flatMap((s) => [ns.key(s), '1']));
    expect(await scanAll(`${ns.prefix}[ab]?`, 100)).toEqual([ns.key('a1'), ns.key('b2')]);
    expect(await scanAll(`${ns.prefix}[a-b]*`, 100)).toEqual([ns.key('a1'), ns.key('b2')]);
    expect(await scanAll(`${ns.prefix}[^ab]?`, 100)).toEqual([ns.key('c3')]);
  });
});

describe('globToRegExp', () => {
  it.each([
    ['user:*', 'user:1:profile', true],
    ['user:?', 'user:10', false],
    ['user:\\*', 'user:*', true],
    ['user:\\*', 'user:1', false],
    ['[^a]x', 'bx', true],
    ['[a-c]x', 'dx', false],
    ['a.b', 'aXb', false],
  ])('%s against %s is %s', (glob, key, expected) => {
    expect(globToRegExp(glob).test(key)).toBe(expected);
  });
});
