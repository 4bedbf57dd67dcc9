import { afterEach, describe, expect, it, vi } from 'vitest';
import { HotResponseStore } from '@kata/07-web-caching/hot-store.js';
import { useRedis } from '../support/redis.js';
import { expectRefusal } from '../support/refusal.js';
import { counting } from './helpers.js';
import { storedOf, text } from './store-helpers.js';

const ns = useRedis();
const none = new Headers();
const T = Date.parse('2026-01-01T00:00:00Z');

afterEach(() => {
  vi.useRealTimers();
});

/** A hot store over a Redis whose commands are counted in `calls`. */
function hotStore(hotMs = 1_000) {
  const calls: string[] = [];
  return { store: new HotResponseStore(counting(ns.redis, calls), { hotMs }), calls };
}

describe('HotResponseStore (bonus: a hit without a round trip)', () => {
  it('answers a second lookup within hotMs from memory: no Redis command', async () => {
    const { store, calls } = hotStore();
    await store.save(ns.key('page'), none, storedOf({}, { body: 'hot' }));
    await store.lookup(ns.key('page'), none);
    calls.length = 0;
    expect(text((await store.lookup(ns.key('page'), none)).stored)).toBe('hot');
    expect(calls).toEqual([]);
  });

  it('asks Redis again once hotMs has passed', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T });
    const { store, calls } = hotStore(1_000);
    await store.save(ns.key('page'), none, storedOf());
    await store.lookup(ns.key('page'), none);
    vi.setSystemTime(T + 1_001);
    calls.length = 0;
    await store.lookup(ns.key('page'), none);
    expect(calls.length).toBeGreaterThan(0);
  });

  it('forgets a URL in memory as soon as this process saves or forgets it', async () => {
    const { store } = hotStore();
    await store.save(ns.key('page'), none, storedOf({}, { body: 'v1' }));
    await store.lookup(ns.key('page'), none);
    await store.save(ns.key('page'), none, storedOf({}, { body: 'v2' }));
    expect(text((await store.lookup(ns.key('page'), none)).stored)).toBe('v2');
    await store.forget([ns.key('page')]);
    expect(await store.lookup(ns.key('page'), none)).toEqual({});
  });

  it('asks Redis for a variant it has not looked up yet, and keeps the variants apart', async () => {
    const { store } = hotStore();
    const fr = new Headers({ 'accept-language': 'fr' });
    const en = new Headers({ 'accept-language': 'en' });
    await store.save(ns.key('page'), fr, storedOf({ vary: 'Accept-Language' }, { body: 'bonjour' }));
    await store.save(ns.key('page'), en, storedOf({ vary: 'Accept-Language' }, { body: 'hello' }));
    expect(text((await store.lookup(ns.key('page'), fr)).stored)).toBe('bonjour');
    expect(text((await store.lookup(ns.key('page'), en)).stored)).toBe('hello');
    expect(text((await store.lookup(ns.key('page'), fr)).stored)).toBe('bonjour');
  });

  it('refuses a hotMs that is not a whole number of ms from 1 on, with a RangeError naming hotMs', async () => {
    for (const hotMs of [0, -1, 1.5, Number.NaN]) await expectRefusal(() => new HotResponseStore(ns.redis, { hotMs }), RangeError, 'hotMs');
  });
});
