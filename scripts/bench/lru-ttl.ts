/**
 * Our LRU and TTL caches (lessons 01 and 02) against lru-cache 11, on one
 * workload: Zipf keys (s = 1), 80 % get and 20 % set, a cache that holds 10 %
 * of the keys. Every contender replays the same seeded sequence, side by side
 * in one run, and each figure is printed with its goal.
 *
 * On a busy machine one ratio proves little. Each replay is timed in CPU time
 * (process.cpuUsage(): this process's own, so the time other jobs take the
 * cores from it does not count against whoever was running), the contenders
 * take turns round after round, and every round gives a ratio of its own; the
 * table shows the spread of those ratios (lowest, median, highest), and a
 * goal is judged on the median.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { LRUCache } from 'lru-cache';
import { LruCache } from '../../provided/lru-cache.js';
import { IndexedLruCache } from '../../solutions/01-memoization/indexed-lru-cache.js';
import { IndexedTtlCache } from '../../solutions/02-ttl-caches/indexed-ttl-cache.js';
import { TtlCache } from '../../solutions/02-ttl-caches/ttl-cache.js';
import { median } from './support/stats.js';
import { seededRandom, zipfIndices } from './support/workload.js';

// lru-cache with a ttl runs other branches of the same class's methods, and V8
// keeps one type profile per function: sharing one class, `{ max }` and
// `{ max, ttl }` would slow each other down. A second instance of the module
// (another URL, so another class) gives `{ max, ttl }` its own.
const { LRUCache: LRUCacheWithTtl } = (await import(`${import.meta.resolve('lru-cache')}?with-ttl`)) as typeof import('lru-cache');

export const title = 'LRU and TTL caches: ours against lru-cache 11, each figure beside its goal';

const KEYS = 100_000;
const CAPACITY = KEYS / 10;
const OPS = 1_000_000;
const GET_SHARE = 0.8;
const ROUNDS = 15;
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

/**
 * Two groups, one after the other in the same run: each lesson's caches
 * against their lru-cache configuration. A group's caches are dropped before
 * the next one starts, so that the garbage one group makes (and the heap it
 * keeps alive) is not charged to the other's rounds.
 */
const groups: Array<{ title: string; contenders: Contender[] }> = [
  {
    title: 'Lesson 01: LRU caches',
    contenders: [
      { name: 'lru-cache { max }', create: (max) => new LRUCache<string, number>({ max }) },
      { name: 'LruCache (01)', versus: 'lru-cache { max }', create: (max) => new LruCache<string, number>({ max }) },
      { name: 'IndexedLruCache (01 bonus)', versus: 'lru-cache { max }', create: (max) => new IndexedLruCache<string, number>({ max }) },
    ],
  },
  {
    title: 'Lesson 02: TTL caches',
    contenders: [
      { name: 'lru-cache { max, ttl }', create: (max) => new LRUCacheWithTtl<string, number>({ max, ttl: TTL_MS }) },
      { name: 'TtlCache (02)', versus: 'lru-cache { max, ttl }', create: (max) => new TtlCache<string, number>({ maxSize: max, ttlMs: TTL_MS }) },
      {
        name: 'IndexedTtlCache (02 bonus)',
        versus: 'lru-cache { max, ttl }',
        create: (max) => new IndexedTtlCache<string, number>({ maxSize: max, ttlMs: TTL_MS }),
      },
    ],
  },
];

/** The goals of issue 28, each on one figure of one contender. */
const goals: Array<{ contender: string; figure: 'speed' | 'heap'; goal: string; met: (ratio: number) => boolean; note?: string }> = [
  { contender: 'LruCache (01)', figure: 'speed', goal: 'at least 1.00×', met: (r) => r >= 1 },
  { contender: 'TtlCache (02)', figure: 'speed', goal: 'at least 1.00×', met: (r) => r >= 1 },
  {
    contender: 'TtlCache (02)',
    figure: 'heap',
    goal: 'at most 1.25×',
    met: (r) => r <= 1.25,
    note: 'an LruCache node and an entry object per key: the bonus below is the lean one',
  },
  { contender: 'IndexedTtlCache (02 bonus)', figure: 'speed', goal: 'at least 1.00×', met: (r) => r >= 1 },
  { contender: 'IndexedTtlCache (02 bonus)', figure: 'heap', goal: 'at most 1.25×', met: (r) => r <= 1.25 },
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
 * function: a shared loop would see six cache classes, turn polymorphic, and
 * slow down whoever runs after the first.
 */
function ownCopyOfReplay(): Loop {
  return new Function(`return ${replay.toString()}`)() as Loop;
}

const times = (x: number) => `${x.toFixed(2)}×`;

export default async function run(): Promise<void> {
  const random = seededRandom(2_024);
  const keys = Array.from({ length: KEYS }, (_, i) => `user:${i}`);
  const sequence = zipfIndices(KEYS, 1, OPS, random);
  const isGet = Uint8Array.from({ length: OPS }, () => (random() < GET_SHARE ? 1 : 0));
  const gets = isGet.reduce((n, g) => n + g, 0);
  console.log(
    `${OPS.toLocaleString('en')} operations (${gets.toLocaleString('en')} gets) over ${KEYS.toLocaleString('en')} keys, Zipf s = 1, cache of ${CAPACITY.toLocaleString('en')}; ${ROUNDS} rounds in turns, timed in CPU time\n`,
  );

  /** Per contender: its median ratio against its baseline over the rounds, and its bytes per entry. */
  const speed = new Map<string, number>();
  const bytes = new Map<string, number>();
  const versusOf = new Map<string, string>();
  for (const group of groups) {
    console.log(group.title);
    // Each contender replays the whole sequence once to warm up (fills the
    // cache, lets V8 optimize), then ROUNDS timed replays, taken in turns. The
    // CPU time of a replay includes the garbage collector's threads: what a
    // cache allocates, it pays for.
    const runs = group.contenders.map((c) => ({ ...c, cache: c.create(CAPACITY), loop: ownCopyOfReplay(), hits: 0, ms: [] as number[] }));
    for (let round = 0; round <= ROUNDS; round++) {
      for (const r of runs) {
        const start = process.cpuUsage();
        r.hits = r.loop(r.cache, keys, sequence, isGet);
        const spent = process.cpuUsage(start);
        if (round > 0) r.ms.push((spent.user + spent.system) / 1_000);
      }
    }
    const byName = (name: string) => runs.find((r) => r.name === name)!;
    /** Per round, the baseline's time over this one's: above 1 is faster than lru-cache. */
    const roundRatios = (name: string, versus: string) => byName(name).ms.map((ms, i) => byName(versus).ms[i]! / ms).sort((a, b) => a - b);
    for (const r of runs) {
      bytes.set(r.name, retainedBytes(() => fill(r.create(KEYS), keys)) / KEYS);
      if (r.versus !== undefined) {
        speed.set(r.name, median(roundRatios(r.name, r.versus)));
        versusOf.set(r.name, r.versus);
      }
    }
    console.table(
      runs.map((r) => {
        const ratios = r.versus === undefined ? undefined : roundRatios(r.name, r.versus);
        return {
          cache: r.name,
          'ops per CPU s (best)': `${(OPS / (Math.min(...r.ms) / 1000) / 1e6).toFixed(2)} M`,
          'vs lru-cache (median)': ratios ? times(median(ratios)) : 'baseline',
          'spread of rounds': ratios ? `${times(ratios[0]!)} to ${times(ratios.at(-1)!)}` : '',
          'hit rate': `${((100 * r.hits) / gets).toFixed(1)} %`,
          'bytes/entry': Math.round(bytes.get(r.name)!),
          'bytes vs lru-cache': r.versus ? times(bytes.get(r.name)! / bytes.get(r.versus)!) : 'baseline',
        };
      }),
    );
  }
  console.log(`bytes/entry: what ${KEYS.toLocaleString('en')} entries keep alive beyond their keys (shared strings) and values (small integers), typed arrays' buffers included.\n`);

  const heapRatio = (name: string) => bytes.get(name)! / bytes.get(versusOf.get(name)!)!;
  console.table(
    goals.map((g) => {
      const ratio = g.figure === 'speed' ? speed.get(g.contender)! : heapRatio(g.contender);
      return {
        figure: `${g.contender}, ${g.figure === 'speed' ? 'speed' : 'bytes per entry'} vs ${versusOf.get(g.contender)}`,
        measured: times(ratio),
        goal: g.goal,
        met: g.met(ratio) ? 'yes' : `no${g.note ? ` (${g.note})` : ''}`,
      };
    }),
  );
  console.log('Speed goals are judged on the median of the rounds; run it a few times on a busy machine.');
}

/**
 * What `build`'s result keeps alive, in bytes: the JavaScript heap and the
 * buffers of typed arrays, which V8 keeps outside it (process.memoryUsage()
 * counts them as arrayBuffers; heapUsed alone would make every slot-based
 * cache look 8 bytes an entry lighter). A full GC before and after; gc() is
 * exposed at run time, so `npm run bench` needs no node options.
 */
function retainedBytes(build: () => unknown): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const used = () => {
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    return heapUsed + arrayBuffers;
  };
  gc();
  const before = used();
  const kept = build();
  gc();
  const after = used();
  if (kept === undefined) throw new Error('retainedBytes: build() must return what it built');
  return after - before;
}

function fill(cache: Cache, keys: string[]): Cache {
  for (let i = 0; i < keys.length; i++) cache.set(keys[i], i);
  return cache;
}
