import { afterEach, describe, expect, it, vi } from 'vitest';
import { HotResponseStore } from '@kata/07-web-caching/hot-store.js';
import { ResponseStore } from '../../provided/http-cache-parts.js';
import { useRedis } from '../support/redis.js';
import { counting } from './helpers.js';
import { storedOf, text } from './store-helpers.js';

const ns = useRedis();
const none = new Headers();
const T = Date.parse('2026-01-01T00:00:00Z');

afterEach(() => {
  vi.useRealTimers();
});

describe('HotResponseStore: the price, and the bounds', () => {
  it('sees a write made through another instance only once hotMs has passed (the trade-off, measured)', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T });
    const hot = new HotResponseStore(ns.redis, { hotMs: 1_000 });
    const elsewhere = new ResponseStore(ns.redis);
    await elsewhere.save(ns.key('page'), none, storedOf({}, { body: 'old' }));
    expect(text((await hot.lookup(ns.key('page'), none)).stored)).toBe('old');
    await elsewhere.save(ns.key('page'), none, storedOf({}, { body: 'new' }));
    expect(text((await hot.lookup(ns.key('page'), none)).stored)).toBe('old');
    vi.setSystemTime(T + 1_000);
    expect(text((await hot.lookup(ns.key('page'), none)).stored)).toBe('new');
  });

  it('keeps a miss in memory too (a page nobody stored is asked for once per hotMs), until this process saves it', async () => {
    const calls: string[] = [];
    const hot = new HotResponseStore(counting(ns.redis, calls), { hotMs: 1_000 });
    expect(await hot.lookup(ns.key('page'), none)).toEqual({});
    calls.length = 0;
    expect(await hot.lookup(ns.key('page'), none)).toEqual({});
    expect(calls).toEqual([]);
    await hot.save(ns.key('page'), none, storedOf({}, { body: 'now' }));
    expect(text((await hot.lookup(ns.key('page'), none)).stored)).toBe('now');
  });

  it('keeps at most maxEntries URLs in memory (lesson 01\'s LRU drops the least recently used)', async () => {
    const calls: string[] = [];
    const hot = new HotResponseStore(counting(ns.redis, calls), { hotMs: 60_000, maxEntries: 2 });
    for (const name of ['a', 'b', 'c']) await hot.lookup(ns.key(name), none);
    calls.length = 0;
    await hot.lookup(ns.key('a'), none);
    expect(calls.length).toBeGreaterThan(0); // a was dropped for c
  });

  it('starts over when a URL\'s Vary changed in Redis (the variants it kept belong to the old names)', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T });
    const hot = new HotResponseStore(ns.redis, { hotMs: 1_000 });
    const elsewhere = new ResponseStore(ns.redis);
    const fr = new Headers({ 'accept-language': 'fr', accept: 'text/html' });
    await elsewhere.save(ns.key('page'), fr, storedOf({ vary: 'Accept-Language' }, { body: 'bonjour' }));
    await hot.lookup(ns.key('page'), fr);
    await elsewhere.save(ns.key('page'), fr, storedOf({ vary: 'Accept' }, { body: 'html' }), ['accept-language']);
    vi.setSystemTime(T + 1_000);
    expect(text((await hot.lookup(ns.key('page'), fr)).stored)).toBe('html');
  });

  it('passes the keepStaleSeconds on to the store beneath', async () => {
    await new HotResponseStore(ns.redis, { hotMs: 10, keepStaleSeconds: 100 }).save(ns.key('page'), none, storedOf({ etag: '"e"' }, { freshness: 0 }));
    expect(await ns.redis.pttl(ns.key('page'))).toBeGreaterThan(95_000);
  });
});

describe('HotResponseStore: changes it learns of within hotMs', () => {
  const fr = new Headers({ 'accept-language': 'fr', accept: 'text/html' });
  const en = new Headers({ 'accept-language': 'en', accept: 'text/html' });

  it('drops the variants it kept when a lookup finds that the URL\'s Vary changed (they were named by the old names)', async () => {
    const hot = new HotResponseStore(ns.redis, { hotMs: 60_000 });
    const elsewhere = new ResponseStore(ns.redis);
    await elsewhere.save(ns.key('page'), fr, storedOf({ vary: 'Accept-Language' }, { body: 'bonjour' }));
    await hot.lookup(ns.key('page'), fr);
    await elsewhere.save(ns.key('page'), fr, storedOf({ vary: 'Accept' }, { body: 'html' }), ['accept-language']);
    expect(text((await hot.lookup(ns.key('page'), en)).stored)).toBe('html'); // a variant it had not seen: asked Redis
    expect(text((await hot.lookup(ns.key('page'), fr)).stored)).toBe('html');
  });

  it('keeps that a URL is gone when a lookup finds it forgotten elsewhere', async () => {
    const hot = new HotResponseStore(ns.redis, { hotMs: 60_000 });
    const elsewhere = new ResponseStore(ns.redis);
    await elsewhere.save(ns.key('page'), fr, storedOf({ vary: 'Accept-Language' }, { body: 'bonjour' }));
    await hot.lookup(ns.key('page'), fr);
    await elsewhere.forget([ns.key('page')]);
    expect(await hot.lookup(ns.key('page'), en)).toEqual({});
    expect(await hot.lookup(ns.key('page'), fr)).toStrictEqual({});
  });

  it('accepts the shortest hotMs, 1 ms', () => {
    expect(() => new HotResponseStore(ns.redis, { hotMs: 1 })).not.toThrow();
  });
});
