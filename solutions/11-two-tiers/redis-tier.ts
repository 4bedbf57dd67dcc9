/**
 * L2: the tier in Redis, shared by every instance of the app. Values are
 * codec bytes (lesson 03): a Date stays a Date.
 *
 * - Whatever cannot be read is a miss, reported, never an exception: Redis
 *   down, bytes this codec did not write (CodecError), another type under the
 *   key (WRONGTYPE). The next fill replaces it: a foreign value heals.
 * - A load must not undo a write or a delete that came while it ran. A load
 *   that read the database before the change finishes after it, and its older
 *   value would sit in Redis, for every instance, until the TTL. So a load
 *   takes a lease first (lesson 10's lock on <key>:lock, nobody waits on it)
 *   and writes only while the lease is still its own (lesson 10's fenced
 *   write); write() and remove() take the lease away. This is memcache's
 *   "lease" (Facebook, NSDI 2013), on Redis.
 */
import type { Redis } from 'ioredis';
import { jsonCodec, type Codec } from '../../provided/codecs.js';
import { assertTtl } from '../../provided/json-cache.js';
import type { Box } from '../../provided/memory-tier.js';
import { acquireLock, invalidate, releaseLock, writeWhileLocked } from '../../provided/redis-lock.js';

export interface RedisTierOptions {
  /** The connection the tier reads and writes with. */
  redis: Redis;
  /** How long a value lives in Redis. */
  l2TtlSeconds: number;
  /** How values become bytes; default lesson 03's jsonCodec. */
  codec?: Codec;
  /** How long a load may run and still write what it loaded (the lease). Default 10,000 ms. */
  leaseMs?: number;
  /** Whatever Redis fails at, or holds that cannot be read, is reported here. */
  onCacheError?: (error: unknown) => void;
}

export class RedisTier<T> {
  readonly #redis: Redis;
  readonly #ttlSeconds: number;
  readonly #codec: Codec;
  readonly #leaseMs: number;
  readonly #report: (error: unknown) => void;

  constructor({ redis, l2TtlSeconds, codec = jsonCodec, leaseMs = 10_000, onCacheError = () => {} }: RedisTierOptions) {
    assertTtl(l2TtlSeconds, 'TwoTierCache l2TtlSeconds');
    this.#redis = redis;
    this.#ttlSeconds = l2TtlSeconds;
    this.#codec = codec;
    this.#leaseMs = leaseMs;
    this.#report = (error) => void onCacheError(error); // whatever it returns is not a lease
  }

  /** The value in Redis, or undefined: missing, or unreadable (reported). */
  async read(key: string): Promise<Box<T> | undefined> {
    try {
      const bytes = await this.#redis.getBuffer(key);
      return bytes === null ? undefined : { value: this.#codec.decode(bytes) as T };
    } catch (error) {
      this.#report(error); // down, bytes someone else wrote, a list under the key
      return undefined;
    }
  }

  /** `load()`'s value, written to Redis unless a write or a remove came while it ran. */
  async fill(key: string, load: () => Promise<T>): Promise<T> {
    const lease = await acquireLock(this.#redis, `${key}:lock`, this.#leaseMs).catch(this.#report);
    try {
      const value = await load();
      const bytes = this.#codec.encode(value); // a value the codec cannot store is the caller's error: it throws here
      if (lease) await writeWhileLocked(this.#redis, lease, key, bytes, this.#ttlSeconds).catch(this.#report);
      return value;
    } finally {
      if (lease) await releaseLock(this.#redis, lease).catch(this.#report);
    }
  }

  /** Writes `value`, and takes the lease from any load that began before. */
  async write(key: string, value: T): Promise<void> {
    const bytes = this.#codec.encode(value);
    try {
      await this.#redis.unlink(`${key}:lock`);
      await this.#redis.set(key, bytes, 'EX', this.#ttlSeconds);
    } catch (error) {
      this.#report(error);
    }
  }

  /** Removes the value, and the lease of any load that began before. */
  async remove(key: string): Promise<void> {
    await invalidate(this.#redis, key).catch(this.#report);
  }
}
