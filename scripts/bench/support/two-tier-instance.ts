/**
 * One app instance for `npm run bench two-tiers` (a process of its own, as in
 * production): a TwoTierCache kept coherent by `mechanism`, acting as the
 * writer or the reader of one key.
 *
 * argv: <role: writer|reader> <mechanism: pubsub|tracking|ttl|none> <redis url> <key> <channel> <writes>
 * Both say "ready" once connected; on "go" (stdin):
 * - the writer sets { version: 1..writes } 10-40 ms apart and prints one JSON
 *   line: for each version, the wall-clock ms when set() resolved;
 * - the reader reads the key in a loop, yielding to I/O between reads (as a
 *   server between requests), until "stop", then prints for each version the
 *   wall-clock ms when it first saw that version or a later one.
 */
import { setImmediate as yieldToIo } from 'node:timers/promises';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { TwoTierCache } from '../../../solutions/11-two-tiers/two-tier.js';
import { createCoherentCache } from '../../../solutions/11-two-tiers/pubsub-invalidation.js';
import { createTrackedCache } from '../../../solutions/11-two-tiers/tracked-cache.js';

type Mechanism = 'pubsub' | 'tracking' | 'ttl' | 'none';
const [role, mechanism, url, key, channel, writes] = process.argv.slice(2) as ['writer' | 'reader', Mechanism, string, string, string, string];

/** Wall-clock time with sub-millisecond resolution, comparable between processes on one machine. */
const wallClock = () => performance.timeOrigin + performance.now();
/** With an invalidation, L1 lives a minute (its TTL is not what bounds staleness); without one, 50 ms. */
export const TTL_ONLY_MS = 50;

const redis = new Redis(url, { maxRetriesPerRequest: 1 });
const connections = [redis];
const base = { redis, l1Max: 1_000, l1TtlMs: mechanism === 'ttl' ? TTL_ONLY_MS : 60_000, l2TtlSeconds: 600 };
let cache: TwoTierCache<{ version: number }>;
if (mechanism === 'pubsub') {
  const subscriber = new Redis(url);
  connections.push(subscriber);
  cache = (await createCoherentCache<{ version: number }>({ ...base, subscriber, channel })).cache;
} else if (mechanism === 'tracking') {
  cache = (await createTrackedCache<{ version: number }>(base)).cache;
} else {
  cache = new TwoTierCache(base);
  if (mechanism === 'none') cache.trustL1 = false; // every read from Redis: the baseline
}

const stdin = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
await cache.get(key, async () => ({ version: 0 })); // warm: L1 (where used) holds version 0
process.stdout.write('ready\n');
await stdin.next(); // go

if (role === 'writer') {
  const done: number[] = [];
  for (let version = 1; version <= Number(writes); version++) {
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 30));
    await cache.set(key, { version });
    done[version] = wallClock();
  }
  process.stdout.write(`${JSON.stringify(done)}\n`);
} else {
  let stop = false;
  void stdin.next().then(() => (stop = true));
  const firstSeen: number[] = [];
  let seen = 0;
  while (!stop) {
    const { version } = await cache.get(key, async () => ({ version: 0 }));
    if (version > seen) {
      const at = wallClock();
      for (let v = seen + 1; v <= version; v++) firstSeen[v] = at;
      seen = version;
    }
    await yieldToIo();
  }
  process.stdout.write(`${JSON.stringify(firstSeen)}\n`);
}
await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
process.exit(0);
