/**
 * Another app instance, in a process of its own, for the multi-process specs of
 * lesson 11: it builds its cache with the learner's (or the reference's)
 * mechanism, writes one value through it, prints "done" and exits.
 * argv: <pubsub|tracking> <redis url> <key> <channel> <value as JSON>.
 * CACHELINGS_TARGET picks lessons/ or solutions/.
 */
import { Redis } from 'ioredis';

const [mechanism, url, key, channel, json] = process.argv.slice(2) as [string, string, string, string, string];
const target = process.env.CACHELINGS_TARGET === 'lessons' ? 'lessons' : 'solutions';
const options = { l1Max: 10, l1TtlMs: 60_000, l2TtlSeconds: 60 };
const redis = new Redis(url, { maxRetriesPerRequest: 1 });
const subscriber = new Redis(url, { maxRetriesPerRequest: 1 });

if (mechanism === 'pubsub') {
  const { createCoherentCache } = (await import(`../../${target}/11-two-tiers/pubsub-invalidation.js`)) as typeof import('../../solutions/11-two-tiers/pubsub-invalidation.js');
  const { cache, close } = await createCoherentCache<unknown>({ ...options, redis, subscriber, channel });
  await cache.set(key, JSON.parse(json));
  await close();
} else {
  const { createTrackedCache } = (await import(`../../${target}/11-two-tiers/tracked-cache.js`)) as typeof import('../../solutions/11-two-tiers/tracked-cache.js');
  const { cache, close } = await createTrackedCache<unknown>({ ...options, redis });
  await cache.set(key, JSON.parse(json));
  await close();
}
process.stdout.write('done\n');
redis.disconnect();
subscriber.disconnect();
process.exit(0);
