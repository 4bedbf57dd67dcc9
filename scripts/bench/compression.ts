/**
 * Lesson 09: which compression pays for itself, on realistic JSON (1, 100 and
 * 10,000 users). For each algorithm: the stored size, the ratio, the time to
 * encode and decode; then what a real Redis reports (MEMORY USAGE) for the
 * same value raw and compressed, how long each way holds the event loop, and
 * how far a small stored value can expand (why decompression needs a bound).
 */
import { constants as bufferConstants } from 'node:buffer';
import { gunzipSync, gzipSync } from 'node:zlib';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Redis } from 'ioredis';
import snappy from 'snappy';
import { jsonCodec } from '../../provided/codecs.js';
import { compressedCodec, type Algorithm } from '../../solutions/09-advanced-techniques/compression.js';
import { redisUrl } from '../lib/probe.js';
import { users } from './support/users.js';

export const title = 'Lesson 09: compression on realistic JSON (ratio, encode, decode, Redis memory, event loop)';

interface Contender {
  name: string;
  encode(plain: Buffer): Buffer;
  decode(packed: Buffer): Buffer;
}

const brotli = (quality: number): Contender => {
  const params = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality } };
  return {
    name: `brotli q${quality}`,
    encode: (plain) => zlib.brotliCompressSync(plain, params),
    decode: (packed) => zlib.brotliDecompressSync(packed),
  };
};

const contenders: Contender[] = [
  ...[1, 6, 9].map((level) => ({
    name: `gzip ${level}${level === 6 ? ' (default)' : ''}`,
    encode: (plain: Buffer) => gzipSync(plain, { level }),
    decode: (packed: Buffer) => gunzipSync(packed),
  })),
  brotli(1),
  brotli(5),
  brotli(9),
  brotli(11),
  { name: 'snappy (snappy 7)', encode: (plain) => snappy.compressSync(plain), decode: (packed) => snappy.uncompressSync(packed) as Buffer },
];
// zstd ships inside node:zlib from Node 22.15 (experimental there): a row for comparison, not a choice of the lesson.
if (typeof zlib.zstdCompressSync === 'function') {
  contenders.push({ name: 'zstd 3 (node:zlib)', encode: (plain) => zlib.zstdCompressSync(plain), decode: (packed) => zlib.zstdDecompressSync(packed) });
}

const datasets = [1, 100, 10_000].map((n) => ({ label: n === 1 ? '1 user' : `${n.toLocaleString('en')} users`, plain: jsonCodec.encode(users(n)) }));

const kb = (bytes: number) => (bytes < 10_000 ? `${bytes} B` : `${(bytes / 1024).toFixed(bytes < 1024 * 1024 ? 1 : 0)} KiB`);
const ms = (value: number) => (value < 0.1 ? `${(value * 1000).toFixed(0)} µs` : `${value.toFixed(value < 10 ? 2 : 0)} ms`);

/**
 * CPU milliseconds per call, the fastest of five batches. CPU time, not wall
 * time: on a machine shared with other work a long call is preempted and its
 * wall time grows with the load, while the CPU it used does not. Short calls
 * are batched until a batch uses 20 ms of CPU.
 */
function cpuMs(fn: () => unknown): number {
  const cpu = (start?: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  fn(); // warm-up
  let batch = 1;
  for (;;) {
    const start = process.cpuUsage();
    for (let i = 0; i < batch; i++) fn();
    if (cpu(start) >= 20 || batch >= 1 << 16) break;
    batch *= 2;
  }
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    const start = process.cpuUsage();
    for (let i = 0; i < batch; i++) fn();
    best = Math.min(best, cpu(start) / batch);
  }
  return best;
}

async function ratios(): Promise<void> {
  for (const { label, plain } of datasets) {
    const rows = [];
    for (const contender of contenders) {
      // Quality 11 takes seconds per 3 MB, 5 runs of it minutes: shown on the small values only.
      if (contender.name === 'brotli q11' && plain.length > 1024 * 1024) {
        rows.push({ algorithm: contender.name, stored: 'not run', 'of raw': '', 'encode (CPU)': '> 2 s', 'decode (CPU)': '', 'encode MB/s': 0 });
        continue;
      }
      const packed = contender.encode(plain);
      if (!contender.decode(packed).equals(plain)) throw new Error(`${contender.name} did not round-trip`);
      const times = { encode: cpuMs(() => contender.encode(plain)), decode: cpuMs(() => contender.decode(packed)) };
      rows.push({
        algorithm: contender.name,
        stored: kb(packed.length),
        'of raw': `${((100 * packed.length) / plain.length).toFixed(1)} %`,
        'encode (CPU)': ms(times.encode),
        'decode (CPU)': ms(times.decode),
        'encode MB/s': Math.round(plain.length / 1e6 / (times.encode / 1000)),
      });
    }
    console.log(`${label}: ${kb(plain.length)} of JSON (superjson, as lesson 03's jsonCodec writes it)`);
    console.table(rows);
  }
}

/** MEMORY USAGE of the same value stored raw and compressed, on a real Redis; keys under a run's own prefix, removed after. */
async function redisMemory(): Promise<void> {
  const url = redisUrl();
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
  } catch {
    console.log(`Redis memory: skipped, no Redis answers at ${url} (npm run redis:up, or set REDIS_URL)\n`);
    return;
  }
  const prefix = `cachelings:bench:compression:${Date.now().toString(36)}:`;
  const ways: Array<[string, Algorithm | 'raw']> = [['raw JSON', 'raw'], ['gzip 6', 'gzip'], ['brotli q5', 'brotli'], ['snappy', 'snappy']];
  const rows = [];
  const written: string[] = [];
  try {
    for (const [index, { label }] of datasets.entries()) {
      const value = users([1, 100, 10_000][index]!);
      const row: Record<string, string> = { value: label };
      for (const [name, algorithm] of ways) {
        const codec = compressedCodec(algorithm === 'raw' ? { threshold: bufferConstants.MAX_LENGTH } : { algorithm, threshold: 0 });
        const key = `${prefix}${index}:${name}`;
        written.push(key);
        await redis.set(key, await codec.encode(value), 'EX', 300);
        row[name] = kb((await redis.memory('USAGE', key)) ?? 0);
      }
      rows.push(row);
    }
  } finally {
    if (written.length > 0) await redis.unlink(...written);
    await redis.quit();
  }
  console.log(`Redis memory (MEMORY USAGE at ${url}, key and overhead included; one header byte in every value):`);
  console.table(rows);
}

/** How long the event loop is held while 2 MB+ values are gzipped: sync on the loop, or on the thread pool. */
async function eventLoop(): Promise<void> {
  const plain = datasets[2]!.plain;
  const gzip = promisify(zlib.gzip);
  const measure = async (work: () => Promise<unknown>) => {
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    histogram.enable();
    await work();
    histogram.disable();
    return { max: histogram.max / 1e6, p99: histogram.percentile(99) / 1e6 };
  };
  const rounds = 20;
  const sync = await measure(async () => {
    for (let i = 0; i < rounds; i++) {
      gzipSync(plain);
      await new Promise(setImmediate);
    }
  });
  let pooledMs = performance.now();
  const pooled = await measure(async () => {
    for (let i = 0; i < rounds; i++) await gzip(plain);
  });
  pooledMs = performance.now() - pooledMs;
  // The same time with nothing to do: what the machine itself adds (other processes, GC).
  const idle = await measure(() => new Promise((resolve) => setTimeout(resolve, pooledMs)));
  console.log(`Event loop delay while gzipping ${kb(plain.length)} ${rounds} times (monitorEventLoopDelay, 1 ms resolution):`);
  console.table([
    { call: 'zlib.gzipSync (on the event loop)', 'max delay': ms(sync.max), 'p99 delay': ms(sync.p99) },
    { call: 'zlib.gzip (thread pool)', 'max delay': ms(pooled.max), 'p99 delay': ms(pooled.p99) },
    { call: 'nothing (as long as the thread pool run)', 'max delay': ms(idle.max), 'p99 delay': ms(idle.p99) },
  ]);
}

/** How far a small stored value can expand: what maxDecodedBytes is there for. */
function bombs(): void {
  const size = 64 * 1024 * 1024;
  const zeros = Buffer.alloc(size);
  const rows = [
    { algorithm: 'gzip 9', stored: gzipSync(zeros, { level: 9 }).length },
    { algorithm: 'brotli q11', stored: zlib.brotliCompressSync(zeros).length },
    { algorithm: 'snappy', stored: snappy.compressSync(zeros).length },
  ].map(({ algorithm, stored }) => ({ algorithm, '64 MiB of zeros stored in': kb(stored), expands: `${Math.round(size / stored).toLocaleString('en')}×` }));
  console.log('Decompression bombs: how small a value expands to 64 MiB');
  console.table(rows);
}

export default async function run(): Promise<void> {
  await ratios();
  await redisMemory();
  await eventLoop();
  bombs();
}
