/**
 * Where the HTTP cache keeps its responses in Redis, with every variant of a
 * URL in one place (RFC 9111 §4.1), so that forgetting a URL is one UNLINK.
 *
 * One hash per URL, at its cacheKey:
 *   vary        the request headers the URL's response varies on, as JSON: ["accept-language"]
 *   v:<variant> one stored response per variant (encodeStored), named by variantKey
 *
 * Redis's TTL is about memory only: whether a response is fresh is computed
 * from the entry itself. A stale one that can be revalidated is kept
 * `keepStaleSeconds` longer.
 */
import type { Redis } from 'ioredis';
import { variantKey, varyNames } from './cache-key.js';
import { MAX_DELTA_SECONDS } from './cache-policy.js';
import { decodeStored, encodeStored, StoredResponseError, type StoredResponse } from '../../provided/stored-response.js';
import { isWrongType } from '../../provided/checks.js';

/** What a lookup found: the URL's Vary names (undefined: nothing stored) and the request's variant, if stored. */
export interface Lookup {
  names?: string[];
  stored?: StoredResponse;
}

/** The field of the one variant of a response without Vary. */
const UNVARIED = `v:${variantKey([], new Headers())}`;

export class ResponseStore {
  constructor(
    private readonly redis: Redis,
    /** How long a stale response with a validator stays, ready to be revalidated. */
    private readonly keepStaleSeconds = 300,
  ) {}

  /** The variant this request asks for. Garbage under the key is a miss, and the key is removed. */
  async lookup(key: string, request: Headers): Promise<Lookup> {
    try {
      // Most responses vary on nothing: ask for that variant in the same round trip.
      const [vary, unvaried] = await this.redis.hmgetBuffer(key, 'vary', UNVARIED);
      if (vary === null) return {};
      const names = parseNames(vary.toString());
      const bytes = names.length === 0 ? unvaried : await this.redis.hgetBuffer(key, `v:${variantKey(names, request)}`);
      return { names, stored: bytes === null ? undefined : decodeStored(bytes) };
    } catch (error) {
      const foreign = error instanceof StoredResponseError || error instanceof SyntaxError || isWrongType(error);
      if (!foreign) throw error;
      await this.redis.unlink(key);
      return {};
    }
  }

  /**
   * Stores `stored` as the variant `request` asked for. `previous` is the Vary the
   * URL had: when it changed, the old variants can no longer be found and go.
   */
  async save(key: string, request: Headers, stored: StoredResponse, previous?: string[]): Promise<void> {
    const names = varyNames(new Headers(stored.headers));
    if (names === '*') return; // no request can ever match it
    const validated = stored.headers.some(([name]) => name === 'etag' || name === 'last-modified');
    const seconds = stored.freshness - stored.initialAge + (validated ? this.keepStaleSeconds : 0);
    if (seconds <= 0) return; // stale on arrival, and nothing to revalidate it with
    const transaction = this.redis.multi();
    if (previous !== undefined && previous.join() !== names.join()) transaction.unlink(key);
    transaction
      .hset(key, 'vary', JSON.stringify(names), `v:${variantKey(names, request)}`, encodeStored(stored))
      .pexpire(key, Math.ceil(Math.min(seconds, MAX_DELTA_SECONDS) * 1000));
    const failed = (await transaction.exec())?.find(([error]) => error !== null)?.[0];
    if (failed) throw failed;
  }

  /** Removes every variant of these URLs' keys. */
  async forget(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.redis.unlink(...keys);
  }
}

/** The vary field: a JSON list of names. Anything else is not ours: a SyntaxError or a StoredResponseError. */
function parseNames(vary: string): string[] {
  const names: unknown = JSON.parse(vary);
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) throw new StoredResponseError('not a vary field');
  return names;
}
