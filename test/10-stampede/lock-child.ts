/**
 * One app instance for the multi-process lock spec: it connects, says "ready",
 * waits for "go" on stdin, then reads a key through getOrLoadLocked with a
 * 50 ms load that counts itself in Redis, and prints the value it got.
 * argv: <redis url> <key> <counter key>. CACHELINGS_TARGET picks lessons/ or solutions/.
 */
import { Redis } from 'ioredis';

const [url, key, counter] = process.argv.slice(2) as [string, string, string];
const target = process.env.CACHELINGS_TARGET === 'lessons' ? 'lessons' : 'solutions';
const { getOrLoadLocked } = (await import(`../../${target}/10-stampede/redis-lock.js`)) as typeof import('../../solutions/10-stampede/redis-lock.js');

const redis = new Redis(url, { maxRetriesPerRequest: 1 });
await redis.ping();
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
const value = await getOrLoadLocked(
  redis,
  key,
  async () => {
    await redis.incr(counter);
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { loadedBy: process.pid };
  },
  { ttlSeconds: 60 },
);
process.stdout.write(`${JSON.stringify(value)}\n`);
await redis.quit();
process.exit(0);
