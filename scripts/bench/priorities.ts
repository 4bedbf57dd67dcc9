/**
 * Lesson 09: do priorities buy the important keys anything? A skewed
 * workload (Zipf, s = 0.9) over 10,000 keys of different sizes, a cache
 * bounded to a tenth of their total size, and one key in twenty marked important
 * (a session, a price list): chosen at random, so most of them are not among
 * the hottest keys, which is exactly when plain LRU lets them go.
 *
 * Every contender replays the same seeded sequence of reads; a miss loads the
 * value and sets it. We count the hit rate of the important keys' reads and of
 * the others'.
 */
import { LRUCache } from 'lru-cache';
import { PriorityCache } from '../../solutions/09-advanced-techniques/priority-cache.js';
import { seededRandom, zipfIndices } from './support/workload.js';

export const title = 'Lesson 09: hit rates with and without priorities (PriorityCache against plain LRU)';

const KEYS = 10_000;
const READS = 500_000;
const IMPORTANT_SHARE = 0.05;

interface Cache {
  get(key: number): unknown;
  set(key: number, value: number, priority: number, weight: number): void;
}

interface Contender {
  name: string;
  create(maxWeight: number): Cache;
}

const contenders: Contender[] = [
  {
    name: 'lru-cache { maxSize, sizeCalculation }: plain LRU by size',
    create: (maxSize) => {
      const sizes = new Map<number, number>();
      const cache = new LRUCache<number, number>({ maxSize, sizeCalculation: (_value, key) => sizes.get(key)! });
      return {
        get: (key) => cache.get(key),
        set: (key, value, _priority, weight) => (sizes.set(key, weight), cache.set(key, value)),
      };
    },
  },
  {
    name: 'PriorityCache, every key priority 5 (LRU by weight)',
    create: (maxWeight) => {
      const cache = new PriorityCache<number, number>({ maxWeight });
      return { get: (key) => cache.get(key), set: (key, value, _priority, weight) => cache.set(key, value, { weight }) };
    },
  },
  {
    name: 'PriorityCache, important keys 10, others 5',
    create: (maxWeight) => {
      const cache = new PriorityCache<number, number>({ maxWeight });
      return { get: (key) => cache.get(key), set: (key, value, priority, weight) => cache.set(key, value, { priority, weight }) };
    },
  },
];

export default async function run(): Promise<void> {
  const random = seededRandom(909);
  // Popularity ranks are shuffled onto keys; sizes from 1 to 32 units (a unit: 1 KiB, say).
  const weight = Int32Array.from({ length: KEYS }, () => 1 + Math.floor(random() ** 2 * 32));
  const important = Uint8Array.from({ length: KEYS }, () => (random() < IMPORTANT_SHARE ? 1 : 0));
  const sequence = zipfIndices(KEYS, 0.9, READS, random);
  const totalWeight = weight.reduce((a, b) => a + b, 0);
  const importantWeight = weight.reduce((sum, w, key) => sum + (important[key] ? w : 0), 0);

  for (const share of [0.1, 0.2]) {
    const maxWeight = Math.round(totalWeight * share);
    const rows = contenders.map(({ name, create }) => {
      const cache = create(maxWeight);
      const reads = [0, 0];
      const hits = [0, 0];
      for (let i = 0; i < sequence.length; i++) {
        const key = sequence[i]!;
        const kind = important[key]!;
        reads[kind]++;
        if (cache.get(key) !== undefined) hits[kind]++;
        else cache.set(key, i, kind ? 10 : 5, weight[key]!);
      }
      return {
        cache: name,
        'important keys hit': `${((100 * hits[1]!) / reads[1]!).toFixed(1)} %`,
        'other keys hit': `${((100 * hits[0]!) / reads[0]!).toFixed(1)} %`,
        'all reads hit': `${((100 * (hits[0]! + hits[1]!)) / READS).toFixed(1)} %`,
      };
    });
    console.log(
      `${READS.toLocaleString('en')} reads, Zipf s = 0.9 over ${KEYS.toLocaleString('en')} keys; ` +
        `${important.reduce((a, b) => a + b, 0)} important keys (${((100 * importantWeight) / totalWeight).toFixed(0)} % of the total size); ` +
        `cache bound: ${share * 100} % of the total size`,
    );
    console.table(rows);
  }
}
