/**
 * Write-through (source 4.2): every write goes to the database first and then
 * to the cache, so the next read is a hit and sees what was just written.
 *
 * The database is the truth; the cache is a copy. So the order is fixed: the
 * copy is made only after the truth has been committed, and a copy that could
 * not be made never fails a write that has already happened. If SET fails we
 * try to delete the old copy; if even that fails, the TTL ends it.
 */
import { assertTtl, setJson } from '../../provided/json-cache.js';
import type { User } from '../../provided/user-repository.js';
import { reporter } from '../../provided/user-cache.js';
import { userKey, type UserCache } from './cache-aside.js';

export async function saveUser(cache: UserCache, user: User): Promise<User> {
  assertTtl(cache.ttlSeconds, 'saveUser');
  const saved = await cache.users.upsert(user); // throws before the cache is touched
  const key = userKey(cache, saved.id);
  const report = reporter(cache.onCacheError); // a handler that throws skips no clean-up
  try {
    await setJson(cache.redis, key, saved, cache.ttlSeconds);
  } catch (error) {
    report(error);
    // The old copy would be served for up to a TTL: better a miss than a stale hit.
    await cache.redis.unlink(key).catch(report);
  }
  return saved;
}
