import { describe, expect, it, vi } from 'vitest';
import { getOrLoadLeased, getUserLeased } from '@kata/04-caching-patterns/lease.js';
import { userKey } from '../../provided/user-cache.js';
import { UserRepository } from '../../provided/user-repository.js';
import { useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';
import { failing, gate, ttlSeconds, user, userCache } from './helpers.js';

const ns = useRedis();

describe('getUserLeased (cache-aside with a lease)', () => {
  it('is still cache-aside: 1,000 reads spread over 10 users make 10 queries, and a missing user is cached as null', async () => {
    const cache = await userCache(ns, 10);
    for (let read = 0; read < 1_000; read++) {
      expect(await getUserLeased(cache, (read % 10) + 1)).toEqual(user((read % 10) + 1));
    }
    expect(await getUserLeased(cache, 42)).toBeNull();
    expect(await getUserLeased(cache, 42)).toBeNull();
    expect(cache.users.queries).toBe(11);
    const ttl = await ns.redis.ttl(userKey(cache, 1));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(ttlSeconds);
  });

  it('a read that began before an update and its delete does not put the old row back (exercise 3\'s race, closed)', async () => {
    const slowRead = gate((q) => q.operation === 'get');
    const cache = await userCache(ns, 0, { users: new UserRepository({ latency: slowRead.latency }) });
    await cache.users.upsert(user(1, 'Old'));

    const reader = getUserLeased(cache, 1); // misses, reads 'Old', and is slow to cache it
    await Promise.race([slowRead.reached, reader]); // a reader that never queries fails at once
    await cache.users.update(1, { name: 'New' }); // the writer commits…
    await ns.redis.unlink(userKey(cache, 1)); // …and invalidates, as exercise 3 does
    slowRead.release();
    expect(await reader).toEqual(user(1, 'Old')); // what it read, at the time it read it

    expect(await getUserLeased(cache, 1)).toEqual(user(1, 'New'));
  });

  it('a read that began before a write-through SET does not overwrite the new copy', async () => {
    const slowRead = gate((q) => q.operation === 'get');
    const cache = await userCache(ns, 0, { users: new UserRepository({ latency: slowRead.latency }) });
    await cache.users.upsert(user(1, 'Old'));

    const reader = getUserLeased(cache, 1);
    await Promise.race([slowRead.reached, reader]);
    await cache.users.upsert(user(1, 'New'));
    await ns.redis.set(userKey(cache, 1), JSON.stringify(user(1, 'New')), 'EX', ttlSeconds); // exercise 2's copy
    slowRead.release();
    await reader;

    cache.users.resetQueries();
    expect(await getUserLeased(cache, 1)).toEqual(user(1, 'New'));
    expect(cache.users.queries).toBe(0);
  });

  it('serves from the database when Redis is down, and tells onCacheError', async () => {
    const onCacheError = vi.fn();
    const cache = await userCache(ns, 1, { redis: failing(ns.redis), onCacheError });
    await expect(getUserLeased(cache, 1)).resolves.toEqual(user(1));
    expect(onCacheError).toHaveBeenCalled();
  });

  it('passes the loader\'s error through, and the next read loads and caches', async () => {
    const hiccup = new Error('database hiccup');
    const loader = vi.fn().mockRejectedValueOnce(hiccup).mockResolvedValue('ok');
    await expect(getOrLoadLeased(ns.redis, ns.key('flaky'), loader, ttlSeconds)).rejects.toBe(hiccup);
    await expect(getOrLoadLeased(ns.redis, ns.key('flaky'), loader, ttlSeconds)).resolves.toBe('ok');
    await expect(getOrLoadLeased(ns.redis, ns.key('flaky'), loader, ttlSeconds)).resolves.toBe('ok');
    expect(loader).toHaveBeenCalledTimes(2);
  });

  it('refuses an empty key (TypeError) and a bad TTL (RangeError) before loading anything', async () => {
    const loader = vi.fn(async () => 1);
    await expectRefusal(() => getOrLoadLeased(ns.redis, '', loader, ttlSeconds), TypeError, 'key');
    await expectRefusal(() => getOrLoadLeased(ns.redis, ns.key('bad-ttl'), loader, 1.5), RangeError, 'ttlSeconds');
    expect(loader).not.toHaveBeenCalled();
  });
});
