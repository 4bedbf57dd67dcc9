/**
 * Bonus: a hit without a round trip. A ResponseStore that keeps what Redis
 * answered for a short while (hotMs) in this process, in lesson 01's LRU, so
 * that a hot page is served from memory and Redis is asked once per hotMs.
 *
 * The price is what lesson 11 is about: a write through this process forgets
 * its URL here at once, but a write through another instance reaches this one
 * only when its hot entry expires. Keep hotMs as short as that allows (1 s
 * turns 10,000 hits a second on a page into one Redis read a second).
 */
import type { Redis } from 'ioredis';
import { variantKey } from './cache-key.js';
import { ResponseStore, type Lookup } from './response-store.js';
import { LruCache } from '../../provided/lru-cache.js';
import type { StoredResponse } from '../../provided/stored-response.js';

export interface HotStoreOptions {
  /** How long a lookup's answer is reused from memory, in ms. */
  hotMs: number;
  /** How many URLs are kept in memory. Default 1,000. */
  maxEntries?: number;
  keepStaleSeconds?: number;
}

/** What Redis answered for a URL: its Vary names (none: nothing stored), and each variant looked up since. */
interface Hot {
  names?: string[];
  variants: Map<string, StoredResponse | undefined>;
  until: number;
}

export class HotResponseStore extends ResponseStore {
  private readonly hot: LruCache<string, Hot>;
  private readonly hotMs: number;

  constructor(redis: Redis, { hotMs, maxEntries = 1_000, keepStaleSeconds }: HotStoreOptions) {
    super(redis, keepStaleSeconds);
    if (!Number.isSafeInteger(hotMs) || hotMs < 1) throw new RangeError(`HotResponseStore: hotMs must be a whole number of ms ≥ 1, got ${hotMs}`);
    this.hotMs = hotMs;
    this.hot = new LruCache({ max: maxEntries });
  }

  override async lookup(key: string, request: Headers): Promise<Lookup> {
    const now = Date.now();
    const entry = this.hot.get(key);
    const live = entry !== undefined && entry.until > now ? entry : undefined;
    if (live !== undefined && live.names === undefined) return {}; // nothing was stored a moment ago
    const variant = live?.names && variantKey(live.names, request);
    if (live?.variants.has(variant!)) return { names: live.names, stored: live.variants.get(variant!) };
    const found = await super.lookup(key, request);
    // A new entry when there was none, or when the URL's Vary changed: old variants were named by the old names.
    const kept = live !== undefined && live.names!.join() === found.names?.join() ? live : { names: found.names, variants: new Map(), until: now + this.hotMs };
    if (kept !== live) this.hot.set(key, kept);
    if (found.names !== undefined) kept.variants.set(variantKey(found.names, request), found.stored);
    return found;
  }

  override async save(key: string, request: Headers, stored: StoredResponse, previous?: string[]): Promise<void> {
    this.hot.delete(key);
    await super.save(key, request, stored, previous);
  }

  override async forget(keys: string[]): Promise<void> {
    for (const key of keys) this.hot.delete(key);
    await super.forget(keys);
  }
}
