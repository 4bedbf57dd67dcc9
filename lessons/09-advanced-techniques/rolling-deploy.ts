/**
 * Exercise 3 of 5: a rolling deploy (source 9.1, and what lesson 05 left out).
 *
 * For a few minutes the previous release and the next one serve traffic side
 * by side on one Redis, and the next release has changed the shape of a
 * cached type. Below is the source's answer, a version in the key: each
 * release reads and writes keys of its own. Run the specs: what happens to an
 * update the old release handles, and to the new release's cache?
 */
import type { Redis } from 'ioredis';
import { getJson, setJson, type CacheRead } from '../../provided/json-cache.js';

export interface ShapeOptions {
  /** The shape this release reads and writes: 1, 2, 3… bumped when old readers would misread the new one. */
  shape: number;
  /** upgrades[n] turns a value of shape n into shape n + 1. */
  upgrades?: Record<number, (older: any) => unknown>;
}

/** What is stored: the value, and the shape it has. */
export interface Envelope {
  shape: number;
  value: unknown;
}

export class ShapedCache<T> {
  readonly shape: number;

  constructor(
    readonly redis: Redis,
    readonly prefix: string,
    { shape }: ShapeOptions,
  ) {
    // TODO: check the shape; keep the upgrades.
    this.shape = shape;
  }

  /** TODO: the source's CACHE_VERSION = "v1", in the key: one copy per release. */
  keyFor(id: string): string {
    return `${this.prefix}v${this.shape}:${id}`;
  }

  async get(id: string): Promise<CacheRead<T>> {
    // TODO: read the envelope: own shape, older shape (upgrade), newer shape (leave it), garbage (remove it).
    return getJson<T>(this.redis, this.keyFor(id));
  }

  async set(id: string, value: T, ttlSeconds: number): Promise<void> {
    // TODO: store an Envelope.
    await setJson(this.redis, this.keyFor(id), value, ttlSeconds);
  }

  async delete(id: string): Promise<void> {
    await this.redis.unlink(this.keyFor(id));
  }
}
