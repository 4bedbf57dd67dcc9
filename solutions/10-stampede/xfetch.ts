/**
 * Before expiry: probabilistic early refresh, "XFetch" (Vattani, Chierichetti
 * and Lowenstein, "Optimal Probabilistic Cache Stampede Prevention", VLDB 2015).
 *
 * Every reader rolls a die: it refreshes early when
 *
 *     now − Δ · β · ln(random()) ≥ expiry
 *
 * where Δ is how long the last load took. −ln(random()) is exponentially
 * distributed with mean 1, so a reader's head start is about Δ·β: far from
 * expiry almost nobody refreshes, close to it almost everybody would. Under
 * steady traffic the first reader to win the roll refreshes shortly before
 * the key expires, and the others keep reading the old value, which is still
 * valid. A slow load (large Δ) starts earlier; β > 1 starts earlier still.
 *
 * An early refresh is a bonus, never a risk: when it fails, the reader gets
 * the value it already has (it has not expired), and the failure is reported.
 * Otherwise adding XFetch would make a database blip visible sooner than
 * plain caching does.
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
  if (now >= expiresAt) return true;
  // random() may return 0: ln(0) is −Infinity, a certain refresh, which is harmless.
  return now - deltaMs * beta * Math.log(random()) >= expiresAt;
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

  const cached = await readOrMiss<unknown>(redis, key, onCacheError);
  // A value of another shape (written by other code) is a miss, and is replaced below.
  const entry = cached.hit && isEntry(cached.value) ? cached.value : undefined;
  if (entry && !shouldRefreshEarly({ now: now(), expiresAt: entry.expiresAt, deltaMs: entry.deltaMs, beta, random })) {
    return entry.value as T;
  }

  const start = now();
  let value: T;
  try {
    value = await loader();
  } catch (error) {
    if (entry === undefined || now() >= entry.expiresAt) throw error; // nothing valid to serve instead
    onRefreshError(error);
    return entry.value as T;
  }
  const end = now();
  const fresh: Entry<T> = { value, deltaMs: Math.max(0, end - start), expiresAt: end + ttlSeconds * 1000 };
  await writeOrReport(redis, key, fresh, ttlSeconds, onCacheError);
  return value;
}
