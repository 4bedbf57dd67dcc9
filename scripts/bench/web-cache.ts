/**
 * Lesson 07 measured: what the HTTP cache middleware costs on a hit, and what
 * it saves. autocannon against @hono/node-server on loopback:
 *   (a) a static handler: the ceiling, Hono and the socket alone
 *   (b) the user route, uncached: a database query (DB_LATENCY_MS, default 2 ms) per request
 *       and, for contrast, the same route on SQLite in the process (no network)
 *   (c) the same route behind httpCache on a hit, in the real Redis
 *   (d) the same with the bonus HotResponseStore: a hit from memory, Redis once a second
 * The three are interleaved over BENCH_ROUNDS rounds (5) of BENCH_SECONDS (3 s),
 * and each keeps its best round. The goal: a hit at least 0.8 of (a), and many times (b).
 * The server runs in a child process (scripts/bench/support/web-server.ts), and
 * Redis is a redis-server of the bench's own when the binary is there
 * (BENCH_REDIS=url uses REDIS_URL): a shared Redis's other clients would be measured too.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { invalidatePattern } from '../../solutions/05-invalidation/invalidate.js';
import { escapeGlob } from '../../solutions/05-invalidation/patterns.js';
import { redisProblem, redisUrl } from '../lib/probe.js';
import { root } from '../lib/vitest-config.js';

export const title = 'Lesson 07: an HTTP cache hit against a static handler and the uncached route (autocannon, loopback)';

const CONNECTIONS = 10;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DB_LATENCY_MS = process.env.DB_LATENCY_MS ?? '2';

interface Result {
  rps: number;
  p99: number;
  errors: number;
  /** The server process's CPU time per request, in µs: steadier than req/s on a machine others are using. */
  cpuMicros: number;
}

/** The server's CPU time so far (user + system), in µs, from its /cpu route. */
async function serverCpu(base: string): Promise<number> {
  const { user, system } = (await (await fetch(`${base}/cpu`)).json()) as NodeJS.CpuUsage;
  return user + system;
}

async function load(base: string, route: string, duration: number): Promise<Result> {
  const before = await serverCpu(base);
  const result = await autocannon({ url: base + route, connections: CONNECTIONS, duration });
  const cpuMicros = (await serverCpu(base)) - before;
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    cpuMicros: cpuMicros / Math.max(1, result.requests.total),
  };
}

/**
 * A redis-server of the bench's own on a free port (nothing on disk), so that
 * other clients of your Redis do not weigh on the numbers; undefined when the
 * binary is missing or BENCH_REDIS=url asks for REDIS_URL instead.
 */
async function ownRedis(): Promise<{ url: string; stop: () => void } | undefined> {
  if (process.env.BENCH_REDIS === 'url') return undefined;
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const port = (probe.address() as AddressInfo).port;
  probe.close();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const ready = new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.once('exit', () => resolve(false));
    server.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('Ready to accept connections') && resolve(true));
  });
  if (!(await ready)) return undefined;
  return { url: `redis://127.0.0.1:${port}`, stop: () => server.kill('SIGKILL') };
}

export default async function run(): Promise<void> {
  const own = await ownRedis();
  const url = own?.url ?? redisUrl();
  const problem = await redisProblem(url);
  if (problem !== null) {
    console.log(`  skipped: no Redis answers at ${url} (${problem}). Start one with npm run redis:up, or set REDIS_URL.`);
    return;
  }
  const prefix = `cachelings:bench:web:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}:`;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/bench/support/web-server.ts')], {
    cwd: root,
    env: { ...process.env, REDIS_URL: url, BENCH_PREFIX: prefix, DB_LATENCY_MS },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [line] = (await Promise.race([
      once(child.stdout!, 'data'),
      once(child, 'exit').then(() => [Buffer.from('exited')]),
    ])) as [Buffer];
    const port = /listening (\d+)/.exec(line.toString())?.[1];
    if (port === undefined) throw new Error(`the bench server did not start: ${line.toString()}`);
    const base = `http://127.0.0.1:${port}`;

    const routes = { static: '/static/users/1', origin: '/origin/users/1', local: '/local/users/1', cached: '/cached/users/1', hot: '/hot/users/1' } as const;
    const names = Object.keys(routes) as Array<keyof typeof routes>;
    for (const name of names) await load(base, routes[name], 1); // warm-up: JIT, connections, and for (c) the first miss
    // Rounds interleave the three, and each keeps its best round: a busy machine disturbs the best round least.
    const results = {} as Record<keyof typeof routes, Result>;
    const cpu = {} as Record<keyof typeof routes, number>;
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of names) {
        const result = await load(base, routes[name], SECONDS);
        if (!results[name] || result.rps > results[name].rps) results[name] = result;
        cpu[name] = Math.min(cpu[name] ?? Infinity, result.cpuMicros);
      }
    }
    const hit = await fetch(base + routes.cached);
    const outcome = hit.headers.get('x-cache');
    const stats = (await (await fetch(`${base}/stats`)).json()) as { hits: number; misses: number; bypasses: number; errors: number };

    const row = (label: string, name: keyof typeof routes) => {
      const r = results[name];
      return (
        `  ${label.padEnd(44)} ${Math.round(r.rps).toLocaleString('en').padStart(8)} req/s   p99 ${String(r.p99).padStart(3)} ms` +
        `   server CPU ${cpu[name].toFixed(0).padStart(4)} µs/req${r.errors ? `   ${r.errors} errors` : ''}`
      );
    };
    console.log(`  ${CONNECTIONS} connections; the best of ${ROUNDS} rounds of ${SECONDS} s each, after a 1 s warm-up; ${own ? `a redis-server of its own at ${url} (BENCH_REDIS=url for REDIS_URL)` : `Redis at ${url}`}; Node ${process.version}`);
    console.log(row('(a) static handler', 'static'));
    console.log(row(`(b) user route, uncached (${DB_LATENCY_MS} ms database)`, 'origin'));
    console.log(row(`(c) the same route through httpCache, hit`, 'cached'));
    console.log(row(`(d) (c) with the bonus HotResponseStore (1 s)`, 'hot'));
    console.log(row('    for contrast: (b) on SQLite in the process', 'local'));
    const ac = results.cached.rps / results.static.rps;
    const cb = results.cached.rps / results.origin.rps;
    const served = stats.hits + stats.misses + stats.bypasses;
    console.log(
      `  httpCache over the whole run: ${stats.hits.toLocaleString('en')} hits, ${stats.misses} misses, ${stats.bypasses} bypasses ` +
        `(${((stats.hits / served) * 100).toFixed(2)} % hits; a bypass is a Redis call over its 250 ms timeout: the machine is too busy)`,
    );
    const da = results.hot.rps / results.static.rps;
    const mark = (ratio: number) => `(goal ≥ 0.80 ${ratio >= 0.8 ? '✓' : '✗'})`;
    console.log(`  by server CPU per request (the least disturbed by other load): (c)/(a) = ${(cpu.static / cpu.cached).toFixed(2)} ${mark(cpu.static / cpu.cached)}   (d)/(a) = ${(cpu.static / cpu.hot).toFixed(2)} ${mark(cpu.static / cpu.hot)}`);
    console.log(`  by throughput: (c)/(a) = ${ac.toFixed(2)} ${mark(ac)}   (d)/(a) = ${da.toFixed(2)} ${mark(da)}   (c)/(b) = ${cb.toFixed(1)}×   (c)/(in-process SQLite) = ${(results.cached.rps / results.local.rps).toFixed(2)}   X-Cache on (c): ${outcome}`);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit').catch(() => {});
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    await invalidatePattern(redis, `${escapeGlob(prefix)}*`); // lesson 05's SCAN walk: every page, not the first
    await redis.quit();
    own?.stop();
  }
}
