import { Redis, ReplyError } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { PinnedCache } from '@kata/09-advanced-techniques/pinned-keys.js';
import { escapeGlob, onCluster, onRealRedis, useCluster, useRedis } from '../support/redis.js';
import { onEvictingServer, startEvictingServer } from './evicting-server.js';

const ns = useRedis();

/** Every key under the test's prefix, with SCAN (never KEYS). */
async function keysOfThisTest(): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await ns.redis.scan(cursor, 'MATCH', `${escapeGlob(ns.prefix)}*`, 'COUNT', 100);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return [...new Set(found)];
}

/** A clock the spec moves: pins are ordered by it. */
function clock(start = 1_000) {
  let now = start;
  return { now: () => now, tick: (ms = 1) => (now += ms) };
}

const cluster = useCluster(ns);

/** Every redis.call(COMMAND, key, …) in a script, with what it passes as the key. */
function keysTouched(script: string): string[] {
  return [...script.matchAll(/redis\.call\(\s*'([A-Z]+)'\s*,\s*([^,)]+)/g)].map(([, , key]) => key!.trim());
}

describe('PinnedCache, every corner', () => {
  it('accepts maxPinned 1: each pin replaces the one before', async () => {
    const time = clock();
    const cache = new PinnedCache(ns.redis, ns.prefix, { maxPinned: 1, now: time.now });
    await cache.pin('a', 1);
    time.tick();
    await cache.pin('b', 2);
    expect(await cache.pinned()).toEqual(['b']);
    expect(await cache.get('a')).toEqual({ hit: false });
  });

  it('keeps its index where no key a caller passes can land, and without a TTL', async () => {
    const cache = new PinnedCache(ns.redis, ns.prefix, { maxPinned: 2 });
    await cache.pin('a', 1);
    for (const key of ['pins', 'pinned', 'index', 'pinned:index']) await cache.set(key, 'x', 60);
    expect(await cache.pinned()).toEqual(['a']);
    const keys = await keysOfThisTest();
    const index = keys.find((key) => !key.startsWith(cache.keyFor('')));
    expect(index).toBeDefined();
    expect(await ns.redis.ttl(index!)).toBe(-1);
  });

  it('refuses a bad maxPinned, key, TTL, value or clock reading at the call, and writes nothing', async () => {
    for (const maxPinned of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new PinnedCache(ns.redis, ns.prefix, { maxPinned }), String(maxPinned)).toThrow(RangeError);
    }
    const cache = new PinnedCache(ns.redis, ns.prefix, { maxPinned: 2 });
    await expect(cache.pin('', 1)).rejects.toThrow(TypeError);
    await expect(cache.set('k', 1, 0)).rejects.toThrow(RangeError);
    await expect(cache.set('k', 1, Number.NaN)).rejects.toThrow(RangeError);
    await expect(cache.pin('k', undefined)).rejects.toThrow(TypeError);
    await expect(cache.pin('k', new Map([[1, 2]]))).rejects.toThrow(TypeError);
    const broken = new PinnedCache(ns.redis, ns.prefix, { maxPinned: 2, now: () => Number.NaN });
    await expect(broken.pin('k', 1)).rejects.toThrow(RangeError);
    expect(await keysOfThisTest()).toEqual([]);
  });

  it('names the method, and the key or the bad value, in every error it raises', async () => {
    expect(() => new PinnedCache(ns.redis, ns.prefix, { maxPinned: 0 })).toThrow(/maxPinned .*got 0/);
    const cache = new PinnedCache(ns.redis, ns.prefix, { maxPinned: 2 });
    await expect(cache.set('', 1, 60)).rejects.toThrow(/PinnedCache\.set/);
    await expect(cache.set('k', 1, 0)).rejects.toThrow(/PinnedCache\.set/);
    await expect(cache.set('page:1', undefined, 60)).rejects.toThrow(/PinnedCache\.set\(page:1\)/);
    await expect(cache.pin('', 1)).rejects.toThrow(/PinnedCache\.pin/);
    await expect(cache.pin('config', undefined)).rejects.toThrow(/PinnedCache\.pin\(config\)/);
    await expect(cache.get('')).rejects.toThrow(/PinnedCache\.get/);
    const broken = new PinnedCache(ns.redis, ns.prefix, { maxPinned: 2, now: () => Number.NaN });
    await expect(broken.pin('k', 1)).rejects.toThrow(/PinnedCache\.pin: the clock said NaN/);
  });

  it('names in KEYS every key its scripts touch (Redis\'s rule for scripts; on a cluster an undeclared key is "Script attempted to access a non local key")', async () => {
    const scripts: string[] = [];
    const watched = new Proxy(ns.redis, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property === 'eval') return (script: string, ...args: unknown[]) => (scripts.push(script), value.call(target, script, ...args));
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const time = clock();
    const cache = new PinnedCache(watched, ns.prefix, { maxPinned: 2, now: time.now });
    for (const key of ['a', 'b', 'c', 'd']) {
      await cache.pin(key, key);
      time.tick();
    }
    expect(await cache.pinned()).toEqual(['c', 'd']);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of new Set(scripts)) {
      for (const key of keysTouched(script)) expect(key, script).toMatch(/^KEYS\[\d+\]$/);
    }
  });

  it('reports an error Redis answered inside set()\'s transaction, instead of taking it for a success', async () => {
    const answering = new Proxy(ns.redis, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'multi') return typeof value === 'function' ? value.bind(target) : value;
        return () => {
          const multi = target.multi();
          const exec = multi.exec.bind(multi);
          return Object.assign(multi, {
            exec: async () => {
              const results = (await exec())!;
              results[1] = [new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value'), null];
              return results;
            },
          });
        };
      },
    });
    const cache = new PinnedCache(answering, ns.prefix, { maxPinned: 2 });
    await expect(cache.set('page:1', 'x', 60)).rejects.toThrow(/WRONGTYPE/);
    const plain = new PinnedCache(ns.redis, ns.prefix, { maxPinned: 2 });
    await expect(plain.set('page:1', 'x', 60)).resolves.toBeUndefined();
  });

  onRealRedis('ioredis-mock does not answer ZREM on a string with WRONGTYPE')('fails set() when something else holds the index key, rather than leave a pin it cannot unlist', async () => {
    const cache = new PinnedCache(ns.redis, ns.prefix, { maxPinned: 2 });
    await cache.pin('k', 1);
    await ns.redis.del(`${ns.prefix}pins`);
    await ns.redis.set(`${ns.prefix}pins`, 'not a sorted set');
    await expect(cache.set('k', 2, 60)).rejects.toThrow(/WRONGTYPE/);
  });

  it('comes back down to a lower maxPinned, one pin at a time, keeping the newest', async () => {
    const time = clock();
    const wide = new PinnedCache(ns.redis, ns.prefix, { maxPinned: 5, now: time.now });
    for (const key of ['a', 'b', 'c', 'd', 'e']) {
      await wide.pin(key, key);
      time.tick();
    }
    const narrow = new PinnedCache(ns.redis, ns.prefix, { maxPinned: 2, now: time.now });
    await narrow.pin('f', 'f');
    expect(await narrow.pinned()).toEqual(['e', 'f']);
    for (const gone of ['a', 'b', 'c', 'd']) expect(await narrow.get(gone), gone).toEqual({ hit: false });
  });

  onRealRedis('ioredis-mock runs Lua slowly enough that a hundred racing pins take minutes')('stays within maxPinned when four processes pin a hundred keys at once, and leaves no pinned key outside the index', async () => {
    const others = await Promise.all([ns.connect(), ns.connect(), ns.connect()]);
    const caches = [ns.redis, ...others].map((redis) => new PinnedCache(redis, ns.prefix, { maxPinned: 7 }));
    await Promise.all(Array.from({ length: 100 }, (_, i) => caches[i % 4]!.pin(`k${i % 40}`, i)));
    const pinned = await caches[0]!.pinned();
    expect(pinned).toHaveLength(7);
    const entries = (await keysOfThisTest()).filter((key) => key.startsWith(caches[0]!.keyFor('')));
    expect(entries.sort()).toEqual(pinned.map((key) => caches[0]!.keyFor(key)).sort());
  });

  onCluster()('works on a Redis Cluster when its prefix carries a hash tag: the scripts\' keys share one slot', async () => {
    const time = clock();
    const cache = new PinnedCache(cluster.cluster as never, `${ns.prefix}{pins}:`, { maxPinned: 2, now: time.now });
    for (const key of ['a', 'b', 'c']) {
      await cache.pin(key, key);
      time.tick();
    }
    await cache.set('page', 'ordinary', 60);
    expect(await cache.pinned()).toEqual(['b', 'c']);
    expect(await cache.get('c')).toEqual({ hit: true, value: 'c' });
    expect(await cache.get('a')).toEqual({ hit: false });
  });
});

describe('PinnedCache under memory pressure (a redis-server of the spec\'s own, maxmemory 4mb)', () => {
  const evicting = onEvictingServer();
  const value = 'x'.repeat(1024);

  /** Pins 20 entries, then writes 8 MB of ordinary ones into 4 MB; what is left of each. */
  async function flood(policy: string) {
    const server = await startEvictingServer(policy);
    const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
    try {
      const cache = new PinnedCache(redis, 'app:', { maxPinned: 100 });
      const pins = Array.from({ length: 20 }, (_, i) => `important:${i}`);
      for (const key of pins) await cache.pin(key, value);
      for (let batch = 0; batch < 16; batch++) {
        await Promise.all(Array.from({ length: 500 }, (_, i) => cache.set(`page:${batch}:${i}`, value, 600)));
      }
      const survivors = (await Promise.all(pins.map((key) => cache.get(key)))).filter((read) => read.hit).length;
      const stats = await redis.info('stats');
      const evicted = Number(/evicted_keys:(\d+)/.exec(stats)?.[1]);
      return { survivors, pinned: pins.length, evicted, keys: await redis.dbsize() };
    } finally {
      redis.disconnect();
      await server.kill();
    }
  }

  evicting('needs a volatile-* policy: under allkeys-lru a key without a TTL is evicted like any other', async () => {
    const { survivors, pinned, evicted } = await flood('allkeys-lru');
    expect(evicted).toBeGreaterThan(1000);
    expect(survivors).toBeLessThan(pinned);
  }, 30_000);
});
