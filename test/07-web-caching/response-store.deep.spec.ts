import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { ResponseStore } from '@kata/07-web-caching/response-store.js';
import { variantKey } from '../../provided/http-cache-parts.js';
import { onRealRedis, useRedis } from '../support/redis.js';
import { counting, failing } from './helpers.js';
import { storedOf } from './store-helpers.js';

const ns = useRedis();
const none = new Headers();
const UNVARIED = `v:${variantKey([], none)}`;

describe('ResponseStore: garbage, foreign values and failures', () => {
  it.each(['"accept"', '[{}]', '{"a":1}', '[1]'])('replaces a vary field that holds %s (JSON, but not a list of names)', async (vary) => {
    await ns.redis.hset(ns.key('page'), 'vary', vary);
    expect(await new ResponseStore(ns.redis).lookup(ns.key('page'), none)).toEqual({});
    expect(await ns.redis.exists(ns.key('page'))).toBe(0);
  });

  it('reads a stored response with a corrupt envelope as a miss, and removes it', async () => {
    await ns.redis.hset(ns.key('page'), 'vary', '[]', UNVARIED, Buffer.from([0, 0, 0, 2, 0x7b, 0x7d]));
    expect(await new ResponseStore(ns.redis).lookup(ns.key('page'), none)).toEqual({});
    expect(await ns.redis.exists(ns.key('page'))).toBe(0);
  });

  it('reads as a miss a variant field that holds bytes it never wrote, under a vary list', async () => {
    const lang = new Headers({ 'accept-language': 'fr' });
    await ns.redis.hset(ns.key('page'), 'vary', '["accept-language"]', `v:${variantKey(['accept-language'], lang)}`, '\x00\x00\x00\xffgarbage');
    expect(await new ResponseStore(ns.redis).lookup(ns.key('page'), lang)).toEqual({});
  });

  it('reads WRONGTYPE (a foreign value under its key) as a miss and removes the key', async () => {
    const wrongType = new Proxy(ns.redis, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property === 'hmgetBuffer') return () => Promise.reject(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'));
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Redis;
    await ns.redis.set(ns.key('page'), 'someone else');
    expect(await new ResponseStore(wrongType).lookup(ns.key('page'), none)).toEqual({});
    expect(await ns.redis.exists(ns.key('page'))).toBe(0);
  });

  onRealRedis('ioredis-mock answers HMGET on a string with nulls, where Redis says WRONGTYPE')(
    'replaces a foreign value of the wrong type under its key (a string where it keeps a hash)', async () => {
      await ns.redis.set(ns.key('page'), 'someone else');
      expect(await new ResponseStore(ns.redis).lookup(ns.key('page'), none)).toEqual({});
      expect(await ns.redis.exists(ns.key('page'))).toBe(0);
    },
  );

  it('lets any other Redis error through (the caller decides), and deletes nothing that is not known to be garbage', async () => {
    await new ResponseStore(ns.redis).save(ns.key('page'), none, storedOf());
    await expect(new ResponseStore(failing(ns.redis, 'hmgetBuffer')).lookup(ns.key('page'), none)).rejects.toThrow();
    expect(await ns.redis.exists(ns.key('page'))).toBe(1);
  });

  it('throws an error that Redis gave inside the transaction (an error among EXEC\'s replies)', async () => {
    const refusing = new Proxy(ns.redis, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property === 'multi') {
          return () => {
            const transaction = target.multi();
            const exec = transaction.exec.bind(transaction);
            transaction.exec = (async () => [...((await exec()) ?? []), [new Error('OOM command not allowed'), null]]) as never;
            return transaction;
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Redis;
    await expect(new ResponseStore(refusing).save(ns.key('page'), none, storedOf())).rejects.toThrow(/OOM/);
  });
});

describe('ResponseStore: TTLs at the edges', () => {
  it('keeps a revalidatable page even with the largest keepStaleSeconds (capped at 2^31 seconds, never an error)', async () => {
    await new ResponseStore(ns.redis, Number.MAX_SAFE_INTEGER).save(ns.key('page'), none, storedOf({ etag: '"v1"' }));
    expect(await ns.redis.pttl(ns.key('page'))).toBeGreaterThan(2 ** 31 * 1000 - 10_000);
  });

  it('keeps a page without a validator only for its freshness (keepStaleSeconds is for what can be revalidated)', async () => {
    await new ResponseStore(ns.redis, 300).save(ns.key('page'), none, storedOf({ 'last-modified': 'x' }, { freshness: 0 }));
    expect(await ns.redis.pttl(ns.key('page'))).toBeGreaterThan(295_000);
    await new ResponseStore(ns.redis, 300).save(ns.key('other'), none, storedOf({}, { freshness: 0 }));
    expect(await ns.redis.exists(ns.key('other'))).toBe(0);
  });

  it('never saves a response that varies on * (no request could ever match it)', async () => {
    await new ResponseStore(ns.redis).save(ns.key('page'), none, storedOf({ vary: 'Accept, *' }));
    expect(await ns.redis.exists(ns.key('page'))).toBe(0);
  });

  it('keeps the other variants when the Vary stays the same', async () => {
    const store = new ResponseStore(ns.redis);
    const fr = new Headers({ 'accept-language': 'fr' });
    const en = new Headers({ 'accept-language': 'en' });
    await store.save(ns.key('page'), fr, storedOf({ vary: 'Accept-Language' }));
    await store.save(ns.key('page'), en, storedOf({ vary: 'accept-language' }), ['accept-language']);
    expect(await ns.redis.hlen(ns.key('page'))).toBe(3);
  });

  it('forgets nothing, and sends nothing, for an empty list of keys', async () => {
    await new ResponseStore(failing(ns.redis)).forget([]);
  });
});

describe('ResponseStore: nothing sent for nothing to keep', () => {
  it('sends no command at all for a response that arrived stale without a validator', async () => {
    const calls: string[] = [];
    await new ResponseStore(counting(ns.redis, calls)).save(ns.key('page'), none, storedOf({}, { freshness: 60, initialAge: 60 }));
    expect(calls).toEqual([]);
  });
});
