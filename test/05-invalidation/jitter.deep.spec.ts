import { describe, expect, it } from 'vitest';
import { jitteredTtl, setWithJitter } from '@kata/05-invalidation/jitter.js';
import { useRedis } from '../support/redis.js';

const ns = useRedis();

describe('jitteredTtl, deeper', () => {
  it('with spread 0 is the plain TTL', () => {
    expect(jitteredTtl(300, 0, () => 0.999999)).toBe(300);
  });

  it('rejects a TTL that is not a positive integer, and a spread outside [0, 1)', () => {
    for (const ttl of [0, -5, 1.5, Number.NaN]) expect(() => jitteredTtl(ttl)).toThrow(RangeError);
    for (const spread of [-0.1, 1, 2, Number.NaN]) expect(() => jitteredTtl(300, spread)).toThrow(RangeError);
    expect(() => jitteredTtl(300, 1)).toThrow(/spread .*got 1/);
  });

  it('rejects a TTL Redis cannot store (1e20) with a RangeError naming ttlSeconds, and takes 1', () => {
    expect(() => jitteredTtl(1e20)).toThrow(/jitteredTtl: ttlSeconds/);
    expect(jitteredTtl(1, 0.1, () => 0)).toBe(1);
  });

  it('rejects a random() outside [0, 1): a draw of 1 would cut the TTL to 0, which SET EX refuses', () => {
    expect(() => jitteredTtl(1, 0.5, () => 1)).toThrow(/random\(\) .*got 1/);
    expect(() => jitteredTtl(300, 0.1, () => -0.1)).toThrow(RangeError);
    expect(() => jitteredTtl(300, 0.1, () => Number.NaN)).toThrow(RangeError);
  });

  it('passes its spread on: setWithJitter with spread 0 gives every key the TTL asked for', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => ns.key('plain', i));
    for (const key of keys) await setWithJitter(ns.redis, key, 1, 300, 0);
    for (const key of keys) expect(await ns.redis.ttl(key)).toBeGreaterThanOrEqual(299);
  });
});
