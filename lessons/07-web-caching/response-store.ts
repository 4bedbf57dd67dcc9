/**
 * Exercise 6 of 12: where the HTTP cache keeps responses in Redis, every
 * variant of a URL in one place (RFC 9111 §4.1).
 *
 * Below is the source's layout: one string per URL, 60 seconds, whatever the
 * response said, and one response per URL whatever it varies on. The README's
 * contract gives the layout to build. Run `npm run lesson 7 response-store`.
 */
import type { Redis } from 'ioredis';
// Given: exercise 4's keys, and the stored form of a response with its codec.
import { variantKey, varyNames, MAX_DELTA_SECONDS } from '../../provided/http-cache-parts.js';
import { decodeStored, encodeStored, StoredResponseError, type StoredResponse } from '../../provided/stored-response.js';
import { isWrongType } from '../../provided/checks.js';

/** What a lookup found: the URL's Vary names (undefined: nothing stored) and the request's variant, if stored. */
export interface Lookup {
  names?: string[];
  stored?: StoredResponse;
}

export class ResponseStore {
  constructor(
    private readonly redis: Redis,
    /** How long a stale response with a validator stays, ready to be revalidated. */
    private readonly keepStaleSeconds = 300,
  ) {}

  /** The variant this request asks for. Garbage under the key is a miss, and the key is removed. */
  async lookup(key: string, request: Headers): Promise<Lookup> {
    void [request, variantKey, StoredResponseError, isWrongType];
    const bytes = await this.redis.getBuffer(key); // cached = redis_client.get(cache_key)
    return bytes === null ? {} : { names: [], stored: decodeStored(bytes) };
  }

  /** Stores `stored` as the variant `request` asked for; `previous` is the Vary the URL had. */
  async save(key: string, request: Headers, stored: StoredResponse, previous?: string[]): Promise<void> {
    void [request, previous, varyNames, MAX_DELTA_SECONDS, this.keepStaleSeconds];
    await this.redis.setex(key, 60, encodeStored(stored)); // redis_client.setex(cache_key, 60, body)
  }

  /** Removes every variant of these URLs' keys. */
  async forget(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.redis.del(...keys);
  }
}
