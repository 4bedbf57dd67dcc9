/**
 * Lesson 08 (source 8.2): what hit rate does Redis's own bound give a cache?
 * allkeys-lru against allkeys-lfu (and allkeys-random, the floor), on a Zipf
 * workload (s = 1: a few hot keys, a long cold tail), with maxmemory-samples
 * 1, 5 (the default) and 10; and an exact LRU of the same number of keys,
 * because Redis's LRU is an approximation: each eviction samples `samples`
 * keys into a pool of the 16 best candidates it keeps between evictions, and
 * evicts the best of the pool, not the oldest of all keys.
 *
 * Cache-aside, replayed the same for every row: GET, and SET on a miss.
 * Hit rate is counted by the client, after a warm-up of a quarter of the run.
 * Each row runs on a fresh redis-server of its own (bench-owned, on a free
 * port): CONFIG SET never reaches your Redis.
 */
import { Redis } from 'ioredis';
import { LruCache } from '../../provided/lru-cache.js';
import { configureEviction, type EvictionPolicy } from '../../solutions/08-best-practices/eviction.js';
import { hasRedisServer, redisServerBinary, startRedisServer } from '../../test/support/redis-server.js';
import { seededRandom, zipfIndices } from './support/workload.js';

export const title = 'Lesson 08: allkeys-lru against allkeys-lfu on a Zipf workload, by maxmemory-samples';

const KEYS = 50_000;
const REQUESTS = 200_000;
const WARM_UP = REQUESTS / 4;
const VALUE = 'v'.repeat(200);
const ROOM_BYTES = 2_000_000; // maxmemory = what an empty server uses + this
const BATCH = 500;

interface Row {
  policy: EvictionPolicy;
  samples: number;
}

const rows: Row[] = [
  { policy: 'allkeys-random', samples: 5 },
  { policy: 'allkeys-lru', samples: 1 },
  { policy: 'allkeys-lru', samples: 5 },
  { policy: 'allkeys-lru', samples: 10 },
  { policy: 'allkeys-lfu', samples: 1 },
  { policy: 'allkeys-lfu', samples: 5 },
  { policy: 'allkeys-lfu', samples: 10 },
];

const sequence = zipfIndices(KEYS, 1, REQUESTS, seededRandom(8));
const keys = Array.from({ length: KEYS }, (_, i) => `page:${i}`);

/** Replays the sequence against Redis in pipelined batches: GETs, then SETs for the misses. */
async function replay(redis: Redis): Promise<{ hitRate: number; keysHeld: number; evicted: number }> {
  let hits = 0;
  let counted = 0;
  for (let from = 0; from < REQUESTS; from += BATCH) {
    const batch = Array.from(sequence.subarray(from, Math.min(from + BATCH, REQUESTS)), (k) => keys[k]!);
    const read = redis.pipeline();
    for (const key of batch) read.get(key);
    const replies = (await read.exec()) ?? [];
    const write = redis.pipeline();
    replies.forEach(([, value], i) => {
      if (from + i >= WARM_UP) {
        counted++;
        if (value !== null) hits++;
      }
      if (value === null) write.set(batch[i]!, VALUE);
    });
    if (write.length > 0) await write.exec();
  }
  const evicted = Number(/^evicted_keys:(\d+)/m.exec(await redis.info('stats'))![1]);
  return { hitRate: hits / counted, keysHeld: await redis.dbsize(), evicted };
}

/** The same replay on an exact LRU that holds `capacity` keys. */
function exactLru(capacity: number): number {
  const cache = new LruCache<string, true>({ max: capacity });
  let hits = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const key = keys[sequence[i]!]!;
    if (cache.get(key) !== undefined) {
      if (i >= WARM_UP) hits++;
    } else cache.set(key, true);
  }
  return hits / (REQUESTS - WARM_UP);
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export default async function run(): Promise<void> {
  if (!hasRedisServer) {
    console.log(`  skipped: no ${redisServerBinary} binary to start a server of the bench's own (apt install redis-server, brew install redis).`);
    return;
  }
  console.log(`  ${KEYS.toLocaleString('en')} keys of ${VALUE.length} B, ${REQUESTS.toLocaleString('en')} Zipf(s = 1) requests, hit rate after the first ${WARM_UP.toLocaleString('en')}`);
  const server = await startRedisServer();
  try {
    let held = 0;
    console.log('\n  | policy | maxmemory-samples | hit rate | keys held | evicted |');
    console.log('  |---|---|---|---|---|');
    for (const row of rows) {
      await server.restart(); // empty, default settings
      const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
      try {
        const used = Number(/^used_memory:(\d+)/m.exec(await redis.info('memory'))![1]);
        await configureEviction(redis, { maxmemory: used + ROOM_BYTES, policy: row.policy, samples: row.samples });
        const result = await replay(redis);
        held = Math.max(held, result.keysHeld);
        console.log(`  | ${row.policy} | ${row.samples} | ${pct(result.hitRate)} | ${result.keysHeld.toLocaleString('en')} | ${result.evicted.toLocaleString('en')} |`);
      } finally {
        redis.disconnect();
      }
    }
    console.log(`  | exact LRU (in memory, ${held.toLocaleString('en')} keys) | all | ${pct(exactLru(held))} | ${held.toLocaleString('en')} | |`);
  } finally {
    await server.kill();
  }
}
