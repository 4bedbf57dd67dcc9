/**
 * Exercise 2 of 6: L2, the tier in Redis, shared by every instance.
 *
 * Below is the read and write most caches start with: a GET that throws when
 * Redis is down or holds something else, and a load that writes what it
 * loaded whatever happened meanwhile. Run `npm run lesson 11 redis-tier`.
 */
import type { Redis } from 'ioredis';
import { jsonCodec, type Codec } from '../../provided/codecs.js';
import { assertTtl } from '../../provided/json-cache.js';
import type { Box } from '../../provided/memory-tier.js';

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
    // TODO: what Redis cannot answer, or holds that this codec cannot read, is a reported miss.
    const bytes = await this.#redis.getBuffer(key);
    return bytes === null ? undefined : { value: this.#codec.decode(bytes) as T };
  }

  /** `load()`'s value, written to Redis unless a write or a remove came while it ran. */
  async fill(key: string, load: () => Promise<T>): Promise<T> {
    // TODO: a lease (lesson 10's lock on <key>:lock), a fenced write, the lease released.
    void this.#leaseMs;
    const value = await load();
    await this.#redis.set(key, this.#codec.encode(value), 'EX', this.#ttlSeconds);
    return value;
  }

  /** Writes `value`, and takes the lease from any load that began before. */
  async write(key: string, value: T): Promise<void> {
    await this.#redis.set(key, this.#codec.encode(value), 'EX', this.#ttlSeconds); // TODO
  }

  /** Removes the value, and the lease of any load that began before. */
  async remove(key: string): Promise<void> {
    await this.#redis.unlink(key); // TODO
  }
}
