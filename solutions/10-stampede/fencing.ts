/**
 * Fencing: a lock holder whose lock ran out while it was still loading must
 * not write. Otherwise it finishes last and puts its older value over the
 * newer one the next holder wrote, for a whole TTL.
 *
 * Here the value lives in the same Redis as the lock, so Redis itself can be
 * the fence: one script writes the value only while the lock still holds our
 * token. (Where the data lives elsewhere, a database, the lock hands out a
 * growing number from INCR and the database refuses a write that carries a
 * smaller one than it has seen: a fencing token.)
 *
 * The same fence makes an invalidation win over a load already running:
 * invalidate() removes the value and the lock, so the holder that loaded
 * before it can no longer write what it read.
 */
import type { Redis } from 'ioredis';
import { assertKey, assertTtl } from '../../provided/json-cache.js';
import type { Lock } from '../../provided/redis-lock.js';

// Atomic: between the GET of the lock and the SET of the value, nothing else runs.
const WRITE_IF_HELD = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0`;

/** Writes `value` under `key` for ttlSeconds, only while `lock` is still ours. True if written. */
export async function writeWhileLocked(redis: Redis, lock: Lock, key: string, value: string | Buffer, ttlSeconds: number): Promise<boolean> {
  assertKey(key, 'writeWhileLocked');
  assertTtl(ttlSeconds, 'writeWhileLocked');
  return (await redis.eval(WRITE_IF_HELD, 2, lock.key, key, lock.token, value, ttlSeconds)) === 1;
}

/** Removes `key` and its lock (`<key>:lock`), in one command: a load that began before can no longer write. */
export async function invalidate(redis: Redis, key: string): Promise<void> {
  assertKey(key, 'invalidate');
  await redis.unlink(key, `${key}:lock`);
}
