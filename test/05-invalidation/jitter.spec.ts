import { describe, expect, it } from 'vitest';
import { jitteredTtl, setWithJitter } from '@kata/05-invalidation/jitter.js';
import { getJson } from '../../provided/json-cache.js';
import { expectRefusal } from '../support/refusal.js';
import { useRedis } from '../support/redis.js';

const ns = useRedis();

/** Writes `count` keys together with setWithJitter, then reads back each key's TTL. */
async function ttlsOfKeysWrittenTogether(count: number, ttlSeconds: number): Promise<number[]> {
  const keys = Array.from({ length: count }, (_, i) => ns.key('page', i));
  await Promise.all(keys.map((key) => setWithJitter(ns.redis, key, { html: '…' }, ttlSeconds)));
  const pipeline = ns.redis.pipeline();
  for (const key of keys) pipeline.ttl(key);
  return ((await pipeline.exec()) ?? []).map(([error, ttl]) => {
    if (error) throw error;
    return ttl as number;
  });
}

describe('setWithJitter (by TTL, source 5.3)', () => {
  it('spreads 1,000 keys written together over many seconds: no one second expires more than a tenth of them', async () => {
    const ttls = await ttlsOfKeysWrittenTogether(1000, 300);
    const perSecond = new Map<number, number>();
    for (const ttl of ttls) perSecond.set(ttl, (perSecond.get(ttl) ?? 0) + 1);
    expect(perSecond.size).toBeGreaterThanOrEqual(20);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(100);
  });

  it('never sets a TTL longer than asked, nor shorter than ttl × (1 − spread)', async () => {
    const ttls = await ttlsOfKeysWrittenTogether(200, 300);
    expect(Math.max(...ttls)).toBeLessThanOrEqual(300);
    expect(Math.min(...ttls)).toBeGreaterThanOrEqual(270 - 1); // a second may pass while we read
  });

  it('stores JSON like setJson: a cached 0 reads back as a hit', async () => {
    await setWithJitter(ns.redis, ns.key('count'), 0, 60);
    expect(await getJson(ns.redis, ns.key('count'))).toEqual({ hit: true, value: 0 });
  });
});

describe('jitteredTtl', () => {
  it('takes up to spread × ttl off, in whole seconds: random() = 0 keeps 300, random() → 1 gives 270', () => {
    expect(jitteredTtl(300, 0.1, () => 0)).toBe(300);
    expect(jitteredTtl(300, 0.1, () => 0.999999)).toBe(270);
    expect(Number.isInteger(jitteredTtl(7, 0.5, () => 0.37))).toBe(true);
  });

  it('gives different TTLs for different random draws (the source gives every key the same one)', () => {
    const draws = [0, 0.25, 0.5, 0.75, 0.99].map((r) => jitteredTtl(300, 0.1, () => r));
    expect(new Set(draws).size).toBe(5);
  });

  it('never cuts a TTL to 0, which SET EX refuses', () => {
    expect(jitteredTtl(1, 0.5, () => 0.999999)).toBe(1);
  });

  it('refuses a TTL, a spread or a random() draw that makes no sense, with a RangeError naming it', async () => {
    for (const ttl of [0, -5, 1.5, Number.NaN, 1e20]) await expectRefusal(() => jitteredTtl(ttl), RangeError, 'ttlSeconds');
    for (const spread of [-0.1, 1, 2, Number.NaN]) await expectRefusal(() => jitteredTtl(300, spread), RangeError, 'spread');
    for (const draw of [1, -0.1, Number.NaN]) await expectRefusal(() => jitteredTtl(300, 0.1, () => draw), RangeError, 'random');
  });
});
