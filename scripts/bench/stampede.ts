/**
 * Lesson 10 measured: 1,000 concurrent requests for a hot key at the moment it
 * expires, against a real Redis and an origin whose query takes 50 ms and
 * counts itself. For each defence: how many times the origin was asked, the
 * requests' p50 and p99 latency, and how many got a stale value.
 *
 * (a) naive cache-aside, (b) single flight, (c) a Redis lock across 4 real
 * processes (250 requests each, single flight inside each), (d) XFetch with
 * single flight, 1,000 requests spread over the last 200 ms before expiry,
 * (e) stale-while-revalidate; and for reference, 1,000 plain cache hits: the
 * cache's own latency under the same concurrency.
 * Only keys under a prefix unique to this run are touched, and removed after.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Redis } from 'ioredis';
import { getOrLoadShared, SingleFlight } from '../../solutions/10-stampede/single-flight.js';
import { xfetch } from '../../solutions/10-stampede/xfetch.js';
import { SwrCache } from '../../solutions/10-stampede/stale-while-revalidate.js';
import { readOrMiss, writeOrReport } from '../../provided/safe-json-cache.js';
import { root } from '../lib/vitest-config.js';
import { benchRedisUrl as url, connectBench, sweepPrefix } from './support/redis.js';
import { percentile } from './support/stats.js';

export const title = 'Lesson 10: 1,000 concurrent requests for a key that just expired (origin query: 50 ms)';

const REQUESTS = 1_000;
const PROCESSES = 4;
const ORIGIN_MS = 50;
const prefix = `cachelings:bench:stampede:${Date.now().toString(36)}:`;

interface Row {
  name: string;
  loads: number;
  latencies: number[];
  stale: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function origin() {
  const counter = { loads: 0 };
  const load = async () => {
    counter.loads++;
    await sleep(ORIGIN_MS);
    return { id: 1, name: 'Ann', at: Date.now() };
  };
  return { counter, load };
}

async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await call();
  return { value, ms: performance.now() - start };
}

async function naive(redis: Redis): Promise<Row> {
  const { counter, load } = origin();
  const key = `${prefix}naive`;
  const results = await Promise.all(
    Array.from({ length: REQUESTS }, () =>
      timed(async () => {
        const cached = await readOrMiss(redis, key, () => {});
        if (cached.hit) return cached.value;
        const value = await load();
        await writeOrReport(redis, key, value, 60, () => {});
        return value;
      }),
    ),
  );
  return { name: '(a) naive cache-aside', loads: counter.loads, latencies: results.map((r) => r.ms), stale: 0 };
}

async function singleFlight(redis: Redis): Promise<Row> {
  const { counter, load } = origin();
  const flight = new SingleFlight();
  const key = `${prefix}single-flight`;
  const results = await Promise.all(
    Array.from({ length: REQUESTS }, () => timed(() => getOrLoadShared(redis, flight, key, load, { ttlSeconds: 60 }))),
  );
  return { name: '(b) single flight (1 process)', loads: counter.loads, latencies: results.map((r) => r.ms), stale: 0 };
}

async function lockAcrossProcesses(redis: Redis): Promise<Row> {
  const key = `${prefix}lock`;
  const counter = `${prefix}lock-loads`;
  const child = `${root}/test/10-stampede/lock-child.ts`;
  const children = Array.from({ length: PROCESSES }, () =>
    spawn(process.execPath, ['--import', 'tsx', child, url, key, counter, String(REQUESTS / PROCESSES)], {
      cwd: root,
      env: { ...process.env, CACHELINGS_TARGET: 'solutions' },
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const lines = children.map((c) => createInterface({ input: c.stdout! })[Symbol.asyncIterator]());
  for (const line of lines) await line.next(); // ready
  for (const c of children) c.stdin!.write('go\n');
  const reads = (await Promise.all(lines.map(async (line) => JSON.parse((await line.next()).value as string)))).flat() as Array<{ ms: number }>;
  return { name: `(c) single flight + Redis lock, ${PROCESSES} processes`, loads: Number(await redis.get(counter)), latencies: reads.map((r) => r.ms), stale: 0 };
}

async function earlyRefresh(redis: Redis): Promise<Row> {
  const { counter, load } = origin();
  const flight = new SingleFlight();
  const key = `${prefix}xfetch`;
  // The value was loaded a while ago (Δ = 50 ms) and expires 100 ms from now.
  await redis.set(key, JSON.stringify({ value: 'old', deltaMs: ORIGIN_MS, expiresAt: Date.now() + 100 }), 'EX', 60);
  const results: Array<Promise<{ ms: number }>> = [];
  for (let i = 0; i < REQUESTS; i++) {
    results.push(timed(() => xfetch(redis, key, () => flight.run(key, load), { ttlSeconds: 60 })));
    if (i % 5 === 4) await sleep(1); // about 5 requests per ms, over the last 200 ms
  }
  const done = await Promise.all(results);
  return { name: '(d) XFetch + single flight', loads: counter.loads, latencies: done.map((r) => r.ms), stale: 0 };
}

async function staleWhileRevalidate(redis: Redis): Promise<Row> {
  const { counter, load } = origin();
  const key = `${prefix}swr`;
  let now = Date.now();
  const cache = new SwrCache(redis, { freshSeconds: 10, maxStaleSeconds: 60, now: () => now });
  await cache.get(key, async () => 'old');
  now += 10_000; // just past its freshness
  const results = await Promise.all(Array.from({ length: REQUESTS }, () => timed(() => cache.get(key, load))));
  await cache.settled();
  return {
    name: '(e) stale-while-revalidate',
    loads: counter.loads,
    latencies: results.map((r) => r.ms),
    stale: results.filter((r) => r.value.stale).length,
  };
}

async function plainHits(redis: Redis): Promise<Row> {
  const key = `${prefix}hit`;
  await redis.set(key, JSON.stringify({ id: 1, name: 'Ann' }), 'EX', 60);
  const results = await Promise.all(Array.from({ length: REQUESTS }, () => timed(() => readOrMiss(redis, key, () => {}))));
  return { name: '1,000 plain cache hits (the cache\'s own latency)', loads: 0, latencies: results.map((r) => r.ms), stale: 0 };
}

export default async function run(): Promise<void> {
  const redis = await connectBench();
  if (!redis) return;
  try {
    const rows: Row[] = [];
    for (const scenario of [naive, singleFlight, lockAcrossProcesses, earlyRefresh, staleWhileRevalidate, plainHits]) {
      rows.push(await scenario(redis));
    }
    console.log('| defence | origin loads | p50 | p99 | served stale |');
    console.log('|---|---|---|---|---|');
    for (const r of rows) {
      const ms = (p: number) => `${percentile(r.latencies, p).toFixed(1)} ms`;
      console.log(`| ${r.name} | ${r.loads} | ${ms(50)} | ${ms(99)} | ${r.stale} |`);
    }
  } finally {
    await sweepPrefix(redis, prefix);
    await redis.quit();
  }
}
