/**
 * The cache as a layer in front of the database (source 3.2 with 8.4's
 * error handling done right): ask Redis, and on a miss ask the loader and
 * remember its answer for ttlSeconds.
 *
 * Redis is an optimisation, so nothing Redis does may fail the request:
 * - Redis down, or too slow (commandTimeout): call the loader, skip the write.
 * - bytes that do not decode (CodecError), or a key of another type (Redis
 *   answers WRONGTYPE): a miss; delete them, load again, and write a good
 *   value, so the key heals instead of failing every call.
 * - a write that fails: the caller still gets the value.
 * What does fail the call: a bad key or TTL, a loader that throws (there is no
 * one else to ask), and a value the codec cannot store (a bug in the loader).
 */
import type { Redis } from 'ioredis';
import { assertKey, assertTtl, isWrongType } from '../../provided/checks.js';
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
  assertKey(key, 'cached');
  assertTtl(ttlSeconds, 'cached');
  const report = (error: unknown) => onError(error, key);

  let bytes: Buffer | null;
  try {
    bytes = await redis.getBuffer(key);
  } catch (error) {
    report(error);
    if (!isWrongType(error)) return loader(); // Redis is down: do not wait for it a second time to write
    await redis.unlink(key).catch(report); // a foreign value: delete it, and write ours below
    bytes = null;
  }

  if (bytes !== null) {
    try {
      return codec.decode(bytes) as T;
    } catch (error) {
      report(error); // garbage is a miss: delete it, and load a good value below
      await redis.unlink(key).catch(report);
    }
  }

  const value = await loader();
  const encoded = codec.encode(value); // throws at the caller: the loader returned something unstorable
  await redis.set(key, encoded, 'EX', ttlSeconds).catch(report);
  return value;
}

function warn(error: unknown, key: string): void {
  console.warn(`[cache] ${key}: ${(error as Error)?.message ?? String(error)}; served by the loader`);
}
