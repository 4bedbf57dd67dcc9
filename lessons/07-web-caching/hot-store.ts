/**
 * Bonus, exercise 13 of 12: a hit without a round trip. A ResponseStore that
 * keeps what Redis answered for hotMs in this process (lesson 01's LRU), so
 * that a hot page costs one Redis read per hotMs instead of one per request.
 *
 * Below, every lookup goes to Redis, as in exercise 6. Run `npm run lesson 7 hot-store`.
 */
import type { Redis } from 'ioredis';
// Given: exercise 6's store and exercise 4's variants, lesson 01's LRU.
import { ResponseStore, variantKey, type Lookup } from '../../provided/http-cache-parts.js';
import { LruCache } from '../../provided/lru-cache.js';
import type { StoredResponse } from '../../provided/stored-response.js';

export interface HotStoreOptions {
  /** How long a lookup's answer is reused from memory, in ms. */
  hotMs: number;
  /** How many URLs are kept in memory. Default 1,000. */
  maxEntries?: number;
  keepStaleSeconds?: number;
}

export class HotResponseStore extends ResponseStore {
  constructor(redis: Redis, { hotMs, maxEntries = 1_000, keepStaleSeconds }: HotStoreOptions) {
    super(redis, keepStaleSeconds);
    void [hotMs, maxEntries, LruCache, variantKey];
  }

  override async lookup(key: string, request: Headers): Promise<Lookup> {
    return super.lookup(key, request); // every hit a round trip
  }

  override async save(key: string, request: Headers, stored: StoredResponse, previous?: string[]): Promise<void> {
    await super.save(key, request, stored, previous);
  }

  override async forget(keys: string[]): Promise<void> {
    await super.forget(keys);
  }
}
