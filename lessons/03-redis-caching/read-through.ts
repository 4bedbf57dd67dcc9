/**
 * Exercise 4 of 5: the cache as a layer in front of the database (source 3.2,
 * with the error handling of 8.4 done right).
 *
 * Below is the source's get_cached_user, made generic. It works while Redis
 * does. Make it survive a Redis that is down, slow, or full of garbage: the
 * caller always gets the loader's answer, never the cache's error.
 */
import type { Redis } from 'ioredis';
import { jsonCodec, type Codec } from '../../provided/codecs.js';

export interface CachedOptions {
  /** How values become bytes; default jsonCodec (superjson). */
  codec?: Codec;
  /** Told about every error the cache swallowed; default console.warn. */
  onError?: (error: unknown, key: string) => void;
}

export async function cached<T>(
  redis: Redis,
  key: string,
  loader: () => Promise<T>,
  ttlSeconds: number,
  { codec = jsonCodec, onError = warn }: CachedOptions = {},
): Promise<T> {
  // TODO: check key and TTL (provided/checks.ts has assertKey and assertTtl); catch
  // Redis errors and CodecErrors, report them with onError, and fall back to the
  // loader. A key of another type (isWrongType) is not an outage: heal it.
  const cachedBytes = await redis.getBuffer(key);
  if (cachedBytes) return codec.decode(cachedBytes) as T;

  const value = await loader();
  await redis.set(key, codec.encode(value), 'EX', ttlSeconds);
  return value;
}

function warn(error: unknown, key: string): void {
  console.warn(`[cache] ${key}: ${(error as Error)?.message ?? String(error)}; served by the loader`);
}
