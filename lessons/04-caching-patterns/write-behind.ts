/**
 * Exercise 5 of 5: write-behind (source 4.3). A write lands in the cache at
 * once, and a flusher copies it to the database later, in batches.
 *
 * This is the source's version: the queue is an array in this process's
 * memory. A crash, a deploy, or a second instance, and every write not yet
 * flushed is gone, though its caller was told "saved". Move the queue into
 * Redis, coalesce it per user, and make flush() safe to kill at any line.
 *
 * The specs hold you to three things: keep every key under `prefix`; write
 * each batch with `users.upsertMany(rows)` (one transaction, at most batchSize
 * rows); and refuse a bad row in write() (checkUser from the repository).
 */
import type { Redis } from 'ioredis';
import { setJson } from '../../provided/json-cache.js';
import { todo } from '../../provided/todo.js';
import type { User } from '../../provided/user-repository.js';
import { assertTtl } from '../../provided/json-cache.js';
import { userKey, type UserCache } from './cache-aside.js';

export interface WriteBehindOptions extends UserCache {
  /** Rows per database transaction. */
  batchSize?: number;
}

export class WriteBehind {
  readonly #cache: UserCache;
  readonly #batchSize: number;
  // TODO: the source's `write_queue = []`. Where does it go when the process dies?
  readonly #queue: User[] = [];

  constructor({ batchSize = 500, ...cache }: WriteBehindOptions) {
    // TODO: reject a batchSize that is not a positive integer.
    assertTtl(cache.ttlSeconds, 'WriteBehind');
    this.#cache = cache;
    this.#batchSize = batchSize;
  }

  /** Resolves once the write is durable; the database sees it at the next flush. */
  async write(user: User): Promise<void> {
    await setJson(this.#cache.redis, userKey(this.#cache, user.id), user, this.#cache.ttlSeconds);
    this.#queue.push(user);
  }

  /** Writes every queued user to the database, batch by batch; returns how many rows it wrote. */
  async flush(): Promise<number> {
    let written = 0;
    while (this.#queue.length > 0) {
      const user = this.#queue.shift()!;
      await this.#cache.users.upsert(user);
      written++;
    }
    return written;
  }

  /** How many rows wait for the database. */
  async pending(): Promise<number> {
    return this.#queue.length;
  }
}

/**
 * Refuses a Redis whose maxmemory-policy may evict the queue; warns when the
 * server will not say (CONFIG refused). The deep tier: see the README.
 */
export async function checkQueueServer(redis: Redis, warn: (message: string) => void = console.warn): Promise<void> {
  // TODO: CONFIG GET maxmemory-policy; allkeys-* evicts the queue silently.
  return todo('04-caching-patterns', 'checkQueueServer');
}
