/** What the lesson's specs share: writing keys and listing them the way Redis matches them, without KEYS. */
import type { Redis } from 'ioredis';

/** The distinct keys that match `pattern`, with `prefix` cut off, sorted. */
export async function scanKeys(redis: Redis, pattern: string, prefix = ''): Promise<string[]> {
  const found = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) found.add(key.slice(prefix.length));
  } while (cursor !== '0');
  return [...found].sort();
}

/** Writes each name under `prefix` with a short TTL, so nothing outlives the run. */
export async function writeKeys(redis: Redis, prefix: string, names: Iterable<string>): Promise<void> {
  const pipeline = redis.pipeline();
  for (const name of names) pipeline.set(prefix + name, '1', 'EX', 120);
  await pipeline.exec();
}
