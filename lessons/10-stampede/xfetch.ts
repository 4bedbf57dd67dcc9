/**
 * Exercise 5 of 6: before expiry. Even with one load per key, every reader
 * waits for it the moment the key expires. XFetch lets one reader refresh a
 * little before expiry, chosen by chance, while the others keep reading.
 *
 * Below, a value is refreshed only once it has expired. The checks and the
 * stored shape are given. Run `npm run lesson 10 xfetch`.
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

function assertFinite(value: number, name: string, caller: string, min = Number.NEGATIVE_INFINITY): void {
  if (!Number.isFinite(value) || value < min) {
    const bound = min === Number.NEGATIVE_INFINITY ? '' : ` ≥ ${min}`;
    throw new RangeError(`${caller}: ${name} must be a finite number${bound}, got ${value}`);
  }
}

/** True when this reader should refresh now, before the value expires; always true once it has. */
export function shouldRefreshEarly({ now, expiresAt, deltaMs, beta = 1, random = Math.random }: EarlyRefreshInput): boolean {
  assertFinite(now, 'now', 'shouldRefreshEarly');
  assertFinite(expiresAt, 'expiresAt', 'shouldRefreshEarly');
  assertFinite(deltaMs, 'deltaMs', 'shouldRefreshEarly', 0);
  assertFinite(beta, 'beta', 'shouldRefreshEarly', 0);
  void random; // TODO: sometimes earlier, more often as expiry nears
  return now >= expiresAt;
}

/** What is stored: the value, how long it took to load, and when it expires (ms on the writer's clock). */
interface Entry<T> {
  value: T;
  deltaMs: number;
  expiresAt: number;
}

/** Whether what Redis held is an Entry; anything else (another writer, an old release) is a miss. */
function isEntry(entry: unknown): entry is Entry<unknown> {
  if (typeof entry !== 'object' || entry === null || !('value' in entry)) return false;
  const { deltaMs, expiresAt } = entry as Partial<Entry<unknown>>;
  return Number.isFinite(deltaMs) && (deltaMs as number) >= 0 && Number.isFinite(expiresAt);
}

export interface XFetchOptions {
  ttlSeconds: number;
  beta?: number;
  now?: () => number;
  random?: () => number;
  onCacheError?: (error: unknown) => void;
  /** An early refresh failed: the reader was served the value it had, which had not expired. */
  onRefreshError?: (error: unknown) => void;
}

/** Cache-aside that refreshes a value shortly before it expires, and never serves one past its expiry. */
export async function xfetch<T>(redis: Redis, key: string, loader: () => Promise<T>, options: XFetchOptions): Promise<T> {
  const { ttlSeconds, beta = 1, now = Date.now, random = Math.random } = options;
  const { onCacheError = () => {}, onRefreshError = () => {} } = options;
  assertKey(key, 'xfetch');
  assertTtl(ttlSeconds, 'xfetch');
  assertFinite(beta, 'beta', 'xfetch', 0);
  void [isEntry, now, random, onRefreshError]; // yours to use

  // TODO: store an Entry (how long the load took, when it expires) and refresh early by chance.
  const cached = await readOrMiss<T>(redis, key, onCacheError);
  if (cached.hit) return cached.value;
  const value = await loader();
  await writeOrReport(redis, key, value, ttlSeconds, onCacheError);
  return value;
}
