/**
 * Our LruCache and IndexedLruCache (lesson 01) and TtlCache (lesson 02) against lru-cache 11, on
 * one workload: Zipf keys (s = 1), 80 % get and 20 % set, a cache that holds
 * 10 % of the keys. Every contender replays the same seeded sequence.
 */
import { LRUCache } from 'lru-cache';
import { LruCache } from '../../provided/lru-cache.js';
import { IndexedLruCache } from '../../solutions/01-memoization/indexed-lru-cache.js';
import { TtlCache } from '../../solutions/02-ttl-caches/ttl-cache.js';
import { retainedHeapBytes, seededRandom, zipfIndices } from './support/workload.js';

// lru-cache with a ttl runs other branches of the same class's methods, and V8
// keeps one type profile per function: sharing one class, `{ max }` and
// `{ max, ttl }` would slow each other down. A second instance of the module
// (another URL, so another class) gives `{ max, ttl }` its own.
const { LRUCache: LRUCacheWithTtl } = (await import(`${import.meta.resolve('lru-cache')}?with-ttl`)) as typeof import('lru-cache');

export const title = 'LRU and TTL caches: ours against lru-cache 11';

const KEYS = 100_000;
const CAPACITY = KEYS / 10;
const OPS = 1_000_000;
const GET_SHARE = 0.8;
const ROUNDS = 7;
const TTL_MS = 10 * 60_000; // longer than the bench: we measure what TTL bookkeeping costs, not expiry

/** What the loop needs from a cache; every contender has it. */
interface Cache {
  get(key: string): number | undefined;
  set(key: string, value: number): unknown;
}

interface Contender {
  name: string;
  /** The lru-cache configuration this one is compared with; absent for lru-cache itself. */
  versus?: string;
  create(max: number): Cache;
}

const contenders: Contender[] = [
  { name: 'lru-cache { max }', create: (max) => new LRUCache<string, number>({ max }) },
  { name: 'LruCache (lesson 01)', versus: 'lru-cache { max }', create: (max) => new LruCache<string, number>({ max }) },
  {
    name: 'IndexedLruCache (01 bonus)',
    versus: 'lru-cache { max }',
    create: (max) => new IndexedLruCache<string, number>({ max }),
  },
  { name: 'lru-cache { max, ttl }', create: (max) => new LRUCacheWithTtl<string, number>({ max, ttl: TTL_MS }) },
  {
    name: 'TtlCache (lesson 02)',
    versus: 'lru-cache { max, ttl }',
    create: (max) => new TtlCache<string, number>({ maxSize: max, ttlMs: TTL_MS }),
  },
];

type Loop = (cache: Cache, keys: string[], sequence: Int32Array, isGet: Uint8Array) => number;

/** The timed loop. Returns the number of gets that hit. */
function replay(cache: Cache, keys: string[], sequence: Int32Array, isGet: Uint8Array): number {
  let hits = 0;
  for (let i = 0; i < sequence.length; i++) {
    const key = keys[sequence[i]];
    if (isGet[i] === 1) {
      if (cache.get(key) !== undefined) hits++;
    } else {
      cache.set(key, i);
    }
  }
  return hits;
}

/**
 * A fresh copy of replay() per contender. V8 keeps one type profile per
 * function: a shared loop would see five cache classes, turn polymorphic, and
 * slow down whoever runs after the first.
 */
function ownCopyOfReplay(): Loop {
  return new Function(`return ${replay.toString()}`)() as Loop;
}

export default async function run(): Promise<void> {
  const random = seededRandom(2_024);
  const keys = Array.from({ length: KEYS }, (_, i) => `user:${i}`);
  const sequence = zipfIndices(KEYS, 1, OPS, random);
  const isGet = Uint8Array.from({ length: OPS }, () => (random() < GET_SHARE ? 1 : 0));
  const gets = isGet.reduce((n, g) => n + g, 0);
  console.log(`${OPS.toLocaleString('en')} operations (${gets.toLocaleString('en')} gets) over ${KEYS.toLocaleString('en')} keys, Zipf s = 1, cache of ${CAPACITY.toLocaleString('en')}; fastest of ${ROUNDS} rounds\n`);

  // Each contender replays the whole sequence once to warm up (fills the
  // cache, lets V8 optimize), then ROUNDS timed replays, taken in turns: on a
  // busy machine a slow spell then hits every contender alike, not just the
  // one whose rounds it fell on. The fastest replay counts, since other work
  // on the machine only ever slows a replay down.
  const runs = contenders.map((c) => ({ ...c, cache: c.create(CAPACITY), loop: ownCopyOfReplay(), hits: 0, fastestMs: Infinity }));
  for (let round = 0; round <= ROUNDS; round++) {
    for (const r of runs) {
      const start = performance.now();
      r.hits = r.loop(r.cache, keys, sequence, isGet);
      const ms = performance.now() - start;
      if (round > 0) r.fastestMs = Math.min(r.fastestMs, ms);
    }
  }

  const opsPerSecond = (name: string) => OPS / (runs.find((r) => r.name === name)!.fastestMs / 1000);
  const rows = runs.map((r) => {
    const ops = opsPerSecond(r.name);
    const bytes = retainedHeapBytes(() => fill(r.create(KEYS), keys)) / KEYS;
    return {
      cache: r.name,
      'ops/s': `${(ops / 1e6).toFixed(2)} M`,
      'vs lru-cache': r.versus ? `${(ops / opsPerSecond(r.versus)).toFixed(2)}×` : '1.00× (baseline)',
      'hit rate': `${((100 * r.hits) / gets).toFixed(1)} %`,
      'heap B/entry': Math.round(bytes),
    };
  });
  console.table(rows);
  console.log(`heap B/entry: what ${KEYS.toLocaleString('en')} entries keep alive beyond their keys (shared strings) and values (small integers).`);
}

function fill(cache: Cache, keys: string[]): Cache {
  for (let i = 0; i < keys.length; i++) cache.set(keys[i], i);
  return cache;
}

