/**
 * Exercise 2 of 5: write-through (source 4.2). Every write goes to the
 * database, then to the cache, so the next read is a hit and sees it.
 *
 * This is the source's create_user. The order is right; what happens after
 * the database has committed and Redis then fails is not.
 */
import type { User } from '../../provided/user-repository.js';
import { userKey, type UserCache } from './cache-aside.js';

export async function saveUser(cache: UserCache, user: User): Promise<User> {
  // TODO: check the TTL before writing anything. Once the row is committed, a
  // cache failure must not fail the call, nor leave the old copy in the cache.
  const saved = await cache.users.upsert(user);
  await cache.redis.setex(userKey(cache, saved.id), cache.ttlSeconds, JSON.stringify(saved));
  return saved;
}
