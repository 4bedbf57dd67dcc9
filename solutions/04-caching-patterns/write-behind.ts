/**
 * Write-behind (source 4.3) that loses nothing: a write lands in the cache and
 * in a durable queue at once, and a flusher copies it to the database later,
 * in batches. The source keeps its queue in a Python list: one crash or deploy
 * and every write not yet flushed is gone, although the caller was told "saved".
 *
 * The queue lives in Redis, under the cache's prefix:
 *   write-behind:dirty     hash id -> row: written, not yet taken by a flusher
 *   write-behind:flushing  hash id -> row: taken, not yet committed
 *
 * - write(): one MULTI caches the row and HSETs it into `dirty`. Writing the
 *   same user again before a flush overwrites the field: coalesced per key.
 * - flush(): RENAMENX moves all of `dirty` to `flushing` in one atomic step
 *   (the reliable-queue move; LMOVE does the same for one list item), while
 *   writers start a new `dirty`. Each batch is upserted in one transaction and
 *   only then HDELed from `flushing`.
 * - A flusher that dies anywhere leaves `flushing` behind, and the next flush
 *   finishes it first. A batch that committed but was not yet HDELed is written
 *   again: at-least-once delivery, made harmless by an idempotent upsert. The
 *   queue holds whole rows, not changes, for that reason: writing "name = Ann"
 *   twice is the same as once; "visits + 1" twice is not.
 *
 * One flusher per prefix at a time (a lock or a single worker): two would
 * race to write older rows over newer ones.
 *
 * The queue has no TTL and exists nowhere else, so it must live on a Redis
 * that never evicts a key without one: under allkeys-* a full server drops
 * it silently, with every write in it. checkQueueServer() asks the server.
 */
import type { Redis } from 'ioredis';
import { checkUser, type User } from '../../provided/user-repository.js';
import { assertTtl } from '../../provided/json-cache.js';
import { reporter } from '../../provided/user-cache.js';
import { userKey, type UserCache } from './cache-aside.js';

export interface WriteBehindOptions extends UserCache {
  /** Rows per database transaction. */
  batchSize?: number;
}

export class WriteBehind {
  readonly #cache: UserCache;
  readonly #batchSize: number;
  readonly #dirty: string;
  readonly #flushing: string;

  constructor({ batchSize = 500, ...cache }: WriteBehindOptions) {
    assertTtl(cache.ttlSeconds, 'WriteBehind');
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`batchSize must be a positive integer, got ${String(batchSize)}`);
    }
    this.#cache = cache;
    this.#batchSize = batchSize;
    this.#dirty = `${cache.prefix}write-behind:dirty`;
    this.#flushing = `${cache.prefix}write-behind:flushing`;
  }

  /**
   * Resolves once the write is durable in Redis; the database sees it at the next flush.
   * Here Redis is not a cache but the queue: when it is down, the write fails
   * loudly instead of being lost quietly.
   */
  async write(user: User): Promise<void> {
    const { id, name, email } = checkUser(user); // a bad row is refused here, not found by the flusher
    const json = JSON.stringify({ id, name, email });
    const { redis, ttlSeconds } = this.#cache;
    // exec() answers null only after a WATCH, which this class never sends.
    const results = (await redis
      .multi()
      .set(userKey(this.#cache, id), json, 'EX', ttlSeconds)
      .hset(this.#dirty, String(id), json)
      .exec())!;
    // A MULTI is not all-or-nothing: a command that fails at EXEC leaves the others done.
    const failed = results.find(([error]) => error)?.[0];
    if (!failed) return;
    // Not queued: a cached copy the database will never get must not be served either.
    await redis.unlink(userKey(this.#cache, id)).catch(reporter(this.#cache.onCacheError));
    throw failed; // Redis's error, whatever the handler did
  }

  /** Writes every queued user to the database, batch by batch; returns how many rows it wrote. */
  async flush(): Promise<number> {
    const { redis } = this.#cache;
    let written = await this.#drain(); // what a flusher that died left behind comes first: it is older
    if (await redis.exists(this.#dirty)) {
      await redis.renamenx(this.#dirty, this.#flushing);
      written += await this.#drain();
    }
    return written;
  }

  /** How many rows wait for the database. */
  async pending(): Promise<number> {
    const [dirty, flushing] = await Promise.all([
      this.#cache.redis.hlen(this.#dirty),
      this.#cache.redis.hlen(this.#flushing),
    ]);
    return dirty + flushing;
  }

  async #drain(): Promise<number> {
    const { redis, users } = this.#cache;
    const entries = Object.entries(await redis.hgetall(this.#flushing));
    let written = 0;
    for (let start = 0; start < entries.length; start += this.#batchSize) {
      const batch = entries.slice(start, start + this.#batchSize);
      const rows = batch.map(([, json]) => JSON.parse(json) as User); // checked by write()
      await users.upsertMany(rows);
      // Acknowledged only after the commit: a crash before this line means "write it again".
      await redis.hdel(this.#flushing, ...batch.map(([id]) => id));
      written += rows.length;
    }
    return written;
  }
}

/**
 * Refuses a Redis whose maxmemory-policy may evict the queue (allkeys-*: any
 * key, a queue included, and silently). A server that will not say (CONFIG is
 * refused by an ACL, or by a managed service) gets a warning, not a refusal:
 * the policy is then for whoever runs it to check.
 */
export async function checkQueueServer(redis: Redis, warn: (message: string) => void = console.warn): Promise<void> {
  const answer: unknown = await redis.config('GET', 'maxmemory-policy').catch((error: unknown) => error);
  const policy: unknown = Array.isArray(answer) ? answer[1] : undefined; // [name, value], or [] for a name it does not know
  if (typeof policy !== 'string') {
    warn(`write-behind: could not read maxmemory-policy (${String(answer)}); the queue needs noeviction`);
    return;
  }
  if (policy.startsWith('allkeys-')) {
    throw new Error(`write-behind: maxmemory-policy is ${policy}, which evicts the queue when memory runs out; use noeviction`);
  }
}
