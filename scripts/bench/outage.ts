/**
 * Lesson 08 (source 8.4): how many queries per second does the database get
 * while Redis is down?
 *
 * 50 concurrent readers ask for users (Zipf over 2,000 ids) through a cache:
 * a warm-up, then three measured phases of PHASE_MS each: Redis up, Redis
 * killed (SIGKILL, as a crash), Redis restarted (empty). The database is SQLite (provided/
 * user-repository.ts) with 2 ms added to every answer, as over a network.
 *
 * - the source: safe_cache_get (every Redis error is a miss) around cache-aside;
 * - the source plus a circuit breaker: Redis is skipped, not waited for;
 * - FailSafeCache: the breaker, last known copies in memory (room for half
 *   the users, then for all of them), one load per key, at most 8 loads at once.
 *
 * The Redis client is lesson 03's: a 100 ms command timeout, so a request
 * never waits longer than that for a dead Redis. The server is the bench's
 * own, on a free port.
 */
import { Redis } from 'ioredis';
import { UserRepository, type User } from '../../provided/user-repository.js';
import { CircuitBreaker } from '../../solutions/08-best-practices/circuit-breaker.js';
import { FailSafeCache } from '../../solutions/08-best-practices/fail-safe.js';
import { hasRedisServer, redisServerBinary, startRedisServer, type ThrowawayRedis } from '../../test/support/redis-server.js';
import { seededRandom, zipfIndices } from './support/workload.js';

export const title = 'Lesson 08: database queries per second while Redis is down, with and without the breaker and fail-safe';

const USERS = 2_000;
const READERS = 50;
const PHASE_MS = 3_000;
const DB_LATENCY_MS = 2;
const TTL_SECONDS = 60;

type Read = (id: number) => Promise<unknown>;

interface Contender {
  name: string;
  build(redis: Redis, users: UserRepository): Read;
}

/** The source: every Redis error is a miss, and a miss is a query. */
function sourceRead(redis: Redis, users: UserRepository, breaker?: CircuitBreaker): Read {
  const call = <T>(command: () => Promise<T>) => (breaker ? breaker.run(command) : command());
  return async (id) => {
    const key = `user:${id}`;
    let cached: string | null = null;
    try {
      cached = await call(() => redis.get(key));
    } catch {
      cached = null;
    }
    if (cached !== null) return JSON.parse(cached) as User;
    const user = await users.get(id);
    await call(() => redis.set(key, JSON.stringify(user), 'EX', TTL_SECONDS)).catch(() => {});
    return user;
  };
}

const breakerOptions = { failureThreshold: 5, windowMs: 1_000, cooldownMs: 1_000 };

/** FailSafeCache with room for `localMaxEntries` last known copies in memory. */
function failSafe(localMaxEntries: number): Contender {
  return {
    name: `FailSafeCache, ${localMaxEntries.toLocaleString('en')} copies in memory`,
    build(redis, users) {
      const cache = new FailSafeCache({
        redis,
        name: 'users',
        prefix: 'user:',
        freshSeconds: TTL_SECONDS,
        staleSeconds: 600,
        breaker: breakerOptions,
        maxConcurrentLoads: 8,
        localMaxEntries,
        log: () => {},
      });
      return (id) => cache.get(String(id), () => users.get(id));
    },
  };
}

const contenders: Contender[] = [
  { name: 'the source (safe_cache_get)', build: (redis, users) => sourceRead(redis, users) },
  { name: 'the source + circuit breaker', build: (redis, users) => sourceRead(redis, users, new CircuitBreaker(breakerOptions)) },
  failSafe(USERS / 2),
  failSafe(USERS),
];

interface Phase {
  requests: number;
  queries: number;
  errors: number;
}

async function runContender(contender: Contender, server: ThrowawayRedis): Promise<Phase[]> {
  await server.restart(); // an empty Redis for each contender
  const redis = new Redis(server.url, { commandTimeout: 100, maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  redis.on('error', () => {});
  const users = new UserRepository({ latency: () => new Promise((resolve) => setTimeout(resolve, DB_LATENCY_MS)) });
  await users.upsertMany(Array.from({ length: USERS }, (_, i) => ({ id: i + 1, name: `user ${i + 1}`, email: `${i + 1}@example.com` })));
  const read = contender.build(redis, users);
  const ids = zipfIndices(USERS, 1, 1_000_000, seededRandom(42));

  const phases: Phase[] = [];
  let current: Phase = { requests: 0, queries: 0, errors: 0 };
  let stop = false;
  let next = 0;
  const readers = Array.from({ length: READERS }, async () => {
    for (let n = 1; !stop; n++) {
      // A read answered from memory never waits for I/O: let the timers that end a phase run.
      if (n % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
      try {
        await read(ids[next++ % ids.length]! + 1);
        current.requests++;
      } catch {
        current.errors++;
      }
    }
  });

  const phase = async (then: () => Promise<void>) => {
    users.resetQueries();
    current = { requests: 0, queries: 0, errors: 0 };
    await new Promise((resolve) => setTimeout(resolve, PHASE_MS));
    current.queries = users.queries;
    phases.push(current);
    await then();
  };
  await phase(async () => {}); // warm-up: every cache starts cold
  phases.pop();
  await phase(() => server.kill());
  await phase(() => server.restart());
  await phase(async () => {
    stop = true;
  });
  await Promise.all(readers);
  redis.disconnect();
  users.close();
  return phases;
}

const perSecond = (n: number) => Math.round(n / (PHASE_MS / 1_000)).toLocaleString('en');

export default async function run(): Promise<void> {
  if (!hasRedisServer) {
    console.log(`  skipped: no ${redisServerBinary} binary to start a server of the bench's own (apt install redis-server, brew install redis).`);
    return;
  }
  console.log(`  ${READERS} readers, Zipf over ${USERS.toLocaleString('en')} users, database answers in ${DB_LATENCY_MS} ms, ${PHASE_MS / 1_000} s per phase`);
  console.log('\n  | | Redis up | Redis down | Redis restarted (empty) |');
  console.log('  |---|---|---|---|');
  const server = await startRedisServer();
  try {
    for (const contender of contenders) {
      const [up, down, back] = await runContender(contender, server);
      const cell = (p: Phase) =>
        `${perSecond(p.queries)} q/s (${perSecond(p.requests)} req/s, ${(p.queries / Math.max(1, p.requests)).toFixed(2)} q/req${p.errors > 0 ? `, ${p.errors} errors` : ''})`;
      console.log(`  | ${contender.name} | ${cell(up!)} | ${cell(down!)} | ${cell(back!)} |`);
    }
  } finally {
    await server.kill();
  }
  console.log('\n  q/s: database queries per second; req/s: reads answered per second; q/req: queries per read answered.');
}
