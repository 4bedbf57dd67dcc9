/**
 * Lesson 05 at scale: invalidate 100,000 keys by pattern on a real Redis, and
 * show that no single command holds the server for long (the goal: under
 * 50 ms each), where the source's KEYS would walk the whole keyspace in one.
 *
 * Every SCAN and UNLINK the reference invalidatePattern sends is timed from
 * the client (a round trip: an upper bound on the server's time), and the
 * server's own SLOWLOG is read for any of our commands that it logged.
 * Only keys under a prefix unique to this run are touched, and removed after.
 */
import { Redis } from 'ioredis';
import { invalidatePattern } from '../../solutions/05-invalidation/invalidate.js';
import { escapeGlob } from '../../solutions/05-invalidation/patterns.js';
import { redisUrl } from '../lib/probe.js';

export const title = 'Lesson 05: invalidate 100,000 keys by pattern (SCAN + UNLINK)';

const KEYS = 100_000;
const WRITE_BATCH = 1_000;
const LIMIT_MS = 50;
const url = redisUrl();

/** Round-trip times of every call to the wrapped methods, by method name. */
type Timings = Record<string, number[]>;

/** The same client, with every call to `methods` timed. */
function timed(redis: Redis, methods: string[], timings: Timings): Redis {
  return new Proxy(redis, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (typeof property !== 'string' || !methods.includes(property)) return value.bind(target);
      return async (...args: unknown[]) => {
        const start = performance.now();
        try {
          return await value.apply(target, args);
        } finally {
          (timings[property] ??= []).push(performance.now() - start);
        }
      };
    },
  });
}

type SlowlogEntry = [id: number, at: number, micros: number, args: string[]];

async function slowlog(redis: Redis): Promise<SlowlogEntry[]> {
  return (await redis.call('SLOWLOG', 'GET', '128')) as SlowlogEntry[];
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

export default async function run(): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  let refused: Error | undefined; // the socket's own error says more than "Connection is closed"
  redis.on('error', (error: Error) => (refused = error));
  try {
    await redis.connect();
  } catch (error) {
    const why = (refused ?? (error as Error)).message;
    console.log(`  skipped: no Redis answers at ${url} (${why}). Start one with npm run redis:up, or set REDIS_URL.`);
    return;
  }

  const prefix = `cachelings:bench:invalidation:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}:`;
  const pattern = `${escapeGlob(prefix)}page:*`;
  try {
    const writeStart = performance.now();
    for (let from = 0; from < KEYS; from += WRITE_BATCH) {
      const pipeline = redis.pipeline();
      for (let i = from; i < Math.min(from + WRITE_BATCH, KEYS); i++) {
        pipeline.set(`${prefix}page:${i}`, `{"id":${i},"html":"<p>cached page ${i}</p>"}`, 'EX', 600);
      }
      await pipeline.exec();
    }
    const writeMs = performance.now() - writeStart;

    const [, threshold] = (await redis.config('GET', 'slowlog-log-slower-than')) as [string, string];
    const lastLogged = (await slowlog(redis))[0]?.[0] ?? -1;
    const dbsize = await redis.dbsize();

    const timings: Timings = {};
    const start = performance.now();
    const removed = await invalidatePattern(timed(redis, ['scan', 'unlink'], timings), pattern);
    const totalMs = performance.now() - start;

    const ours = (await slowlog(redis)).filter(
      ([id, , , args]) => id > lastLogged && args.some((arg) => String(arg).startsWith(prefix)),
    );
    const scans = timings.scan ?? [];
    const unlinks = timings.unlink ?? [];
    const slowest = Math.max(...scans, ...unlinks);

    console.log(`  Redis at ${url}, ${dbsize.toLocaleString('en')} keys in the database (SCAN walks all of them)`);
    console.log(`  wrote ${KEYS.toLocaleString('en')} keys in ${ms(writeMs)} (pipelines of ${WRITE_BATCH})`);
    console.log(`  invalidatePattern removed ${removed.toLocaleString('en')} keys in ${ms(totalMs)} total`);
    console.log(`    ${scans.length} SCAN calls:   slowest ${ms(Math.max(...scans))}, mean ${ms(scans.reduce((a, b) => a + b, 0) / scans.length)}`);
    console.log(`    ${unlinks.length} UNLINK calls: slowest ${ms(Math.max(...unlinks))}, mean ${ms(unlinks.reduce((a, b) => a + b, 0) / unlinks.length)}`);
    console.log(
      `    SLOWLOG (logs commands slower than ${Number(threshold) / 1000} ms): ${ours.length} of ours` +
        (ours.length > 0 ? `, slowest ${ms(Math.max(...ours.map(([, , micros]) => micros)) / 1000)} on the server` : ''),
    );
    console.log(
      slowest <= LIMIT_MS
        ? `  ✓ no single command took over ${LIMIT_MS} ms, round trip included (slowest: ${ms(slowest)})`
        : `  ✗ a command took ${ms(slowest)}, over the ${LIMIT_MS} ms goal (round trip included; a loaded machine adds to it)`,
    );
    if (removed !== KEYS) console.log(`  ✗ expected to remove ${KEYS}, removed ${removed}`);
  } finally {
    await invalidatePattern(redis, `${escapeGlob(prefix)}*`);
    await redis.quit();
  }
}
