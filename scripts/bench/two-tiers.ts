/**
 * Lesson 11 measured, on a real Redis.
 *
 * 1. What each tier costs: sequential reads (one await after another) of an L1
 *    hit, an L2 hit (L1 switched off) and a miss (a new key each time, an origin
 *    that answers at once: the cost is GET + SET), reads per second and p99.
 * 2. The staleness window: two processes, A writes a key 200 times (10-40 ms
 *    apart), B reads it in a loop. For each write: when B first saw it, minus
 *    when A's set() returned (negative: B saw it before A heard OK; counted 0).
 *    Per mechanism: pub/sub, CLIENT TRACKING, the L1 TTL alone (50 ms), and no
 *    L1 at all (the baseline: Redis itself).
 * Only keys and channels under a prefix unique to this run are touched; keys are removed after.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { TwoTierCache } from '../../solutions/11-two-tiers/two-tier.js';
import { root } from '../lib/vitest-config.js';
import { benchRedisUrl as url, connectBench, sweepPrefix } from './support/redis.js';
import { median, percentile } from './support/stats.js';

export const title = 'Lesson 11: two tiers, what each costs, and how long another instance sees the old value';

const prefix = `cachelings:bench:two-tiers:${Date.now().toString(36)}:`;
const WRITES = 200;

async function sequential(reads: number, read: (i: number) => Promise<unknown>): Promise<{ perSecond: number; p99: number; p50: number }> {
  const latencies = new Array<number>(reads);
  const start = performance.now();
  for (let i = 0; i < reads; i++) {
    const t = performance.now();
    await read(i);
    latencies[i] = performance.now() - t;
  }
  const seconds = (performance.now() - start) / 1000;
  return { perSecond: reads / seconds, p99: percentile(latencies, 99), p50: median(latencies) };
}

async function staleness(mechanism: string): Promise<number[]> {
  const key = `${prefix}stale:${mechanism}`;
  const channel = `${prefix}channel:${mechanism}`;
  const child = `${root}/scripts/bench/support/two-tier-instance.ts`;
  const start = (role: string) =>
    spawn(process.execPath, ['--import', 'tsx', child, role, mechanism, url, key, channel, String(WRITES)], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  const reader = start('reader');
  const writer = start('writer');
  const [fromReader, fromWriter] = [reader, writer].map((c) => createInterface({ input: c.stdout! })[Symbol.asyncIterator]());
  await fromReader!.next(); // ready
  await fromWriter!.next();
  reader.stdin!.write('go\n');
  writer.stdin!.write('go\n');
  const done = JSON.parse((await fromWriter!.next()).value as string) as number[];
  reader.stdin!.write('stop\n');
  const seen = JSON.parse((await fromReader!.next()).value as string) as Array<number | null>;
  const windows: number[] = [];
  for (let version = 1; version <= WRITES; version++) {
    const at = seen[version];
    // Never seen: the next write came first. Its window is at least until that write, so we count it as the gap (a lower bound).
    const until = at ?? seen.slice(version).find((t): t is number => typeof t === 'number');
    if (until !== undefined) windows.push(Math.max(0, until - done[version]!));
  }
  return windows;
}

const fmt = (n: number, digits = 3) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const int = (n: number) => Math.round(n).toLocaleString('en-US');

export default async function run(): Promise<void> {
  const redis = await connectBench();
  if (!redis) return;
  try {
    const cache = new TwoTierCache<{ id: number; name: string }>({ redis, l1Max: 10_000, l1TtlMs: 60_000, l2TtlSeconds: 600 });
    const hot = `${prefix}hot`;
    const user = { id: 1, name: 'Ann' };
    await cache.get(hot, async () => user);
    const l1 = await sequential(200_000, () => cache.get(hot, async () => user));
    cache.trustL1 = false;
    const l2 = await sequential(20_000, () => cache.get(hot, async () => user));
    const miss = await sequential(10_000, (i) => cache.get(`${prefix}miss:${i}`, async () => user));
    console.log('| read | reads/s (sequential) | p50 ms | p99 ms |');
    console.log('|---|---|---|---|');
    console.log(`| L1 hit (memory) | ${int(l1.perSecond)} | ${fmt(l1.p50, 4)} | ${fmt(l1.p99, 4)} |`);
    console.log(`| L2 hit (Redis GET) | ${int(l2.perSecond)} | ${fmt(l2.p50)} | ${fmt(l2.p99)} |`);
    console.log(`| miss (GET, lease, loader, fenced write, release) | ${int(miss.perSecond)} | ${fmt(miss.p50)} | ${fmt(miss.p99)} |`);
    console.log(`\nL1/L2 throughput: ${fmt(l1.perSecond / l2.perSecond, 0)}× (goal: at least 50×)\n`);

    console.log(`| mechanism (B reads, A writes ${WRITES}×) | median ms | p99 ms | max ms |`);
    console.log('|---|---|---|---|');
    for (const [mechanism, label] of [
      ['pubsub', 'pub/sub message (L1 TTL 60 s)'],
      ['tracking', 'CLIENT TRACKING (L1 TTL 60 s)'],
      ['ttl', 'L1 TTL alone (50 ms), nothing sent'],
      ['none', 'no L1 (every read from Redis)'],
    ] as const) {
      const windows = await staleness(mechanism);
      console.log(`| ${label} | ${fmt(median(windows))} | ${fmt(percentile(windows, 99))} | ${fmt(Math.max(...windows))} |`);
    }
    console.log('\nGoal: the message-based windows under 5 ms median on loopback. A lost message leaves the L1 TTL as the only bound.');
  } finally {
    await sweepPrefix(redis, prefix);
    await redis.quit();
  }
}
