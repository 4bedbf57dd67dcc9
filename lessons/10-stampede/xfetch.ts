/**
 * Exercise 3 of 4: before expiry. Even with one load per key, every reader
 * waits for it the moment the key expires. XFetch lets one reader refresh a
 * little before expiry, chosen by chance, while the others keep reading.
 *
 * Below, a value is refreshed only once it has expired. Run `npm run lesson 10`.
 */
import type { Redis } from 'ioredis';
import { assertKey, assertTtl } from '../../provided/json-cache.js';
import { readOrMiss, writeOrReport } from '../../provided/safe-json-cache.js';

export interface EarlyRefreshInput {
  /** Now, and when the value expires, in the same clock's milliseconds. */
  now: number;
  expiresAt: number;
  /** How long the last load took, ms. */
  deltaMs: number;
  /** ≥ 0; 1 is the paper's choice; 0 never refreshes early. */
  beta?: number;
  /** A number in [0, 1): Math.random by default. */
  random?: () => number;
}

/** True when this reader should refresh now, before the value expires; always true once it has. */
export function shouldRefreshEarly({ now, expiresAt }: EarlyRefreshInput): boolean {
  return now >= expiresAt; // TODO: sometimes earlier, more often as expiry nears
}

export interface XFetchOptions {
  ttlSeconds: number;
  beta?: number;
  now?: () => number;
  random?: () => number;
  onCacheError?: (error: unknown) => void;
}

/** Cache-aside that refreshes a value shortly before it expires, and never serves one past its expiry. */
export async function xfetch<T>(redis: Redis, key: string, loader: () => Promise<T>, options: XFetchOptions): Promise<T> {
  const { ttlSeconds, onCacheError = () => {} } = options;
  assertKey(key, 'xfetch');
  assertTtl(ttlSeconds, 'xfetch');
  // TODO: store how long the load took and when the value expires beside it.
  const cached = await readOrMiss<T>(redis, key, onCacheError);
  if (cached.hit) return cached.value;
  const value = await loader();
  await writeOrReport(redis, key, value, ttlSeconds, onCacheError);
  return value;
}
