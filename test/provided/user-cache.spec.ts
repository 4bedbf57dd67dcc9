import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { reporter, userKey, type UserCache } from '../../provided/user-cache.js';
import type { UserRepository } from '../../provided/user-repository.js';

describe('userKey', () => {
  it('puts a user under the cache\'s prefix, one key per id', () => {
    const cache: UserCache = { redis: {} as Redis, users: {} as UserRepository, prefix: 'app:', ttlSeconds: 60 };
    expect(userKey(cache, 42)).toBe('app:user:42');
    expect(userKey({ ...cache, prefix: 'other:' }, 42)).toBe('other:user:42');
  });
});

describe('reporter', () => {
  it('passes each error to onCacheError, and swallows what a throwing handler throws', () => {
    const seen: unknown[] = [];
    const failure = new Error('cache down');
    reporter((error) => seen.push(error))(failure);
    expect(seen).toEqual([failure]);
    expect(() => reporter(() => { throw new Error('logger down'); })(failure)).not.toThrow();
    expect(() => reporter(undefined)(failure)).not.toThrow();
  });
});
