/**
 * What lesson 03's cache layer costs on top of raw ioredis, on a real Redis:
 * cache hits through getJson and cached() against a bare `redis.get` +
 * `JSON.parse`, one request at a time and 64 at once; then the same 64 at once
 * with ioredis's enableAutoPipelining, which sends the commands issued in one
 * tick of the event loop as one write (one round trip for many commands).
 * Throughput is the fastest of three rounds. Only keys under a prefix unique to
 * this run are touched, and removed after.
 */
import type { Redis } from 'ioredis';
import { getJson } from '../../solutions/03-redis-caching/json-cache.js';
import { cached } from '../../solutions/03-redis-caching/read-through.js';
import { connectBench, sweepPrefix } from './support/redis.js';

export const title = 'Lesson 03: the cache layer against raw ioredis (hits, real Redis)';

const KEYS = 100;
const OPS = 20_000;
const ROUNDS = 3;
const prefix = `cachelings:bench:layer:${Date.now().toString(36)}:`;
const user = (i: number) => ({ id: i, name: `user ${i}`, email: `${i}@example.com`, roles: ['reader'], active: true });

type Read = (redis: Redis, key: string) => Promise<unknown>;

const reads: Record<string, Read> = {
  'raw: redis.get + JSON.parse': async (redis, key) => JSON.parse((await redis.get(key))!),
  'getJson (lesson 03)': (redis, key) => getJson(redis, key),
  'cached() with superjson (lesson 03)': (redis, key) =>
    cached(redis, key, () => Promise.reject(new Error('a hit was expected')), 60),
};

/** Operations per second: OPS reads spread over `concurrency` loops, fastest of ROUNDS. */
async function opsPerSecond(redis: Redis, read: Read, concurrency: number): Promise<number> {
  let best = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < OPS) {
          const i = next++;
          await read(redis, `${prefix}${i % KEYS}`);
        }
      }),
    );
    best = Math.max(best, OPS / ((performance.now() - start) / 1000));
  }
  return best;
}

const fmt = (opsPerS: number) => `${Math.round(opsPerS).toLocaleString('en-US')}/s`;

export default async function run(): Promise<void> {
  const plain = await connectBench();
  if (!plain) return;
  const pipelined = (await connectBench({ enableAutoPipelining: true }))!;
  try {
    for (let i = 0; i < KEYS; i++) await plain.set(`${prefix}${i}`, JSON.stringify(user(i)), 'EX', 600);
    // cached() decodes with superjson, so its keys hold superjson: the same users, written its way.
    const { jsonCodec } = await import('../../solutions/03-redis-caching/codecs.js');
    const sj = `${prefix}sj:`;
    for (let i = 0; i < KEYS; i++) await plain.set(`${sj}${i}`, jsonCodec.encode(user(i)), 'EX', 600);
    const keyed = (read: Read, name: string): Read => (name.startsWith('cached') ? (r, key) => read(r, key.replace(prefix, sj)) : read);

    console.log('| read (a hit) | 1 at a time | vs raw | 64 at once | vs raw | 64 at once, auto-pipelined | gain |');
    console.log('|---|---|---|---|---|---|---|');
    const raw: Record<number, number> = {};
    for (const [name, read] of Object.entries(reads)) {
      const r = keyed(read, name);
      const one = await opsPerSecond(plain, r, 1);
      const many = await opsPerSecond(plain, r, 64);
      const piped = await opsPerSecond(pipelined, r, 64);
      raw[1] ??= one;
      raw[64] ??= many;
      const ratio = (x: number, base: number) => `${(x / base).toFixed(2)}×`;
      console.log(`| ${name} | ${fmt(one)} | ${ratio(one, raw[1])} | ${fmt(many)} | ${ratio(many, raw[64])} | ${fmt(piped)} | ${ratio(piped, many)} |`);
    }
  } finally {
    await sweepPrefix(plain, prefix);
    await Promise.all([plain.quit(), pipelined.quit()]);
  }
}
