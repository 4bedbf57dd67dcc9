import { describe, expect, it } from 'vitest';
import { ResponseStore } from '@kata/07-web-caching/response-store.js';
import { variantKey } from '../../provided/http-cache-parts.js';
import { useRedis } from '../support/redis.js';
import { counting } from './helpers.js';
import { storedOf, text } from './store-helpers.js';

const ns = useRedis();
const none = new Headers();
const lang = (value: string) => new Headers({ 'accept-language': value });

describe('ResponseStore (every variant of a URL in one hash)', () => {
  it('gives back what it saved, byte for byte, status and header fields included', async () => {
    const store = new ResponseStore(ns.redis);
    const saved = storedOf({ 'content-type': 'text/html', etag: '"v1"' }, { status: 404, body: 'not here' });
    await store.save(ns.key('page'), none, saved);
    const { names, stored } = await store.lookup(ns.key('page'), none);
    expect(names).toEqual([]);
    expect(stored).toEqual({ ...saved, body: expect.anything() });
    expect(text(stored)).toBe('not here');
  });

  it('finds nothing under a key it never saved: no names, no response', async () => {
    expect(await new ResponseStore(ns.redis).lookup(ns.key('never'), none)).toEqual({});
  });

  it('keeps one response per variant: the French page for French readers, the English one for English readers', async () => {
    const store = new ResponseStore(ns.redis);
    await store.save(ns.key('page'), lang('fr'), storedOf({ vary: 'Accept-Language' }, { body: 'bonjour' }));
    await store.save(ns.key('page'), lang('en'), storedOf({ vary: 'Accept-Language' }, { body: 'hello' }));
    expect(text((await store.lookup(ns.key('page'), lang('fr'))).stored)).toBe('bonjour');
    expect(text((await store.lookup(ns.key('page'), lang('en'))).stored)).toBe('hello');
    expect(await store.lookup(ns.key('page'), lang('de'))).toEqual({ names: ['accept-language'] });
  });

  it('lays a URL out as the contract says: one hash, its Vary names as JSON in `vary`, each variant in `v:<variantKey>`', async () => {
    await new ResponseStore(ns.redis).save(ns.key('page'), lang('fr'), storedOf({ vary: 'Accept-Language' }));
    const fields = await ns.redis.hkeys(ns.key('page'));
    expect(fields.sort()).toEqual(['v:' + variantKey(['accept-language'], lang('fr')), 'vary'].sort());
    expect(JSON.parse((await ns.redis.hget(ns.key('page'), 'vary'))!)).toEqual(['accept-language']);
  });

  it('answers a lookup of a response without Vary with one HMGET', async () => {
    const calls: string[] = [];
    const store = new ResponseStore(counting(ns.redis, calls));
    await store.save(ns.key('page'), none, storedOf());
    calls.length = 0;
    await store.lookup(ns.key('page'), none);
    expect(calls).toEqual(['hmgetBuffer']);
  });

  it('gives the hash a TTL of the response\'s freshness, plus keepStaleSeconds when it has a validator', async () => {
    const store = new ResponseStore(ns.redis, 300);
    await store.save(ns.key('plain'), none, storedOf({}, { freshness: 60 }));
    await store.save(ns.key('validated'), none, storedOf({ etag: '"v1"' }, { freshness: 60 }));
    const plain = await ns.redis.pttl(ns.key('plain'));
    const validated = await ns.redis.pttl(ns.key('validated'));
    expect(plain).toBeGreaterThan(55_000);
    expect(plain).toBeLessThanOrEqual(60_000);
    expect(validated).toBeGreaterThan(355_000);
    expect(validated).toBeLessThanOrEqual(360_000);
  });

  it('saves nothing that is stale on arrival and cannot be revalidated (Age: 100 with max-age=60, no validator)', async () => {
    await new ResponseStore(ns.redis).save(ns.key('page'), none, storedOf({}, { freshness: 60, initialAge: 100 }));
    expect(await ns.redis.exists(ns.key('page'))).toBe(0);
  });

  it('drops the old variants when a URL\'s response stops varying (nothing unreachable is left in Redis)', async () => {
    const store = new ResponseStore(ns.redis);
    await store.save(ns.key('page'), lang('fr'), storedOf({ vary: 'Accept-Language' }));
    const { names } = await store.lookup(ns.key('page'), lang('fr'));
    await store.save(ns.key('page'), lang('fr'), storedOf(), names);
    expect(await ns.redis.hlen(ns.key('page'))).toBe(2); // vary and the one variant
  });

  it('forgets every variant of a URL', async () => {
    const store = new ResponseStore(ns.redis);
    await store.save(ns.key('page'), lang('fr'), storedOf({ vary: 'Accept-Language' }));
    await store.save(ns.key('page'), lang('en'), storedOf({ vary: 'Accept-Language' }));
    await store.forget([ns.key('page')]);
    expect(await ns.redis.exists(ns.key('page'))).toBe(0);
  });

  it('reads garbage under a key as a miss, and removes it', async () => {
    await ns.redis.hset(ns.key('page'), 'vary', '{not json');
    expect(await new ResponseStore(ns.redis).lookup(ns.key('page'), none)).toEqual({});
    expect(await ns.redis.exists(ns.key('page'))).toBe(0);
  });
});
