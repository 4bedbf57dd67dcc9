/**
 * One app instance for the multi-process lock spec (and `npm run bench stampede`):
 * it connects, says "ready", waits for "go" on stdin, then makes `concurrency`
 * reads of one key at once, through single flight (one caller per process asks
 * Redis) and getOrLoadLocked (one loader in the fleet), with a 50 ms load that
 * counts itself in Redis, and prints one JSON line: each read's value and
 * latency in ms.
 * argv: <redis url> <key> <counter key> [concurrency = 1].
 * CACHELINGS_TARGET picks lessons/ or solutions/.
 */
import { Redis } from 'ioredis';

const [url, key, counter, concurrency = '1'] = process.argv.slice(2) as [string, string, string, string?];
const target = process.env.CACHELINGS_TARGET === 'lessons' ? 'lessons' : 'solutions';
const { getOrLoadLocked } = (await import(`../../${target}/10-stampede/locked-load.js`)) as typeof import('../../solutions/10-stampede/locked-load.js');
const { SingleFlight } = (await import(`../../${target}/10-stampede/single-flight.js`)) as typeof import('../../solutions/10-stampede/single-flight.js');
const flight = new SingleFlight();

const redis = new Redis(url, { maxRetriesPerRequest: 1 });
await redis.ping();
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));

const load = async () => {
  await redis.incr(counter);
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { loadedBy: process.pid };
};
const reads = await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    const start = performance.now();
    const value = await flight.run(key, () => getOrLoadLocked(redis, key, load, { ttlSeconds: 60 }));
    return { value, ms: performance.now() - start };
  }),
);
process.stdout.write(`${JSON.stringify(reads)}\n`);
redis.disconnect(); // QUIT is deprecated since Redis 7.2: closing the connection is the replacement
process.exit(0);
