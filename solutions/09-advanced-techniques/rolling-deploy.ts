/**
 * A rolling deploy: for a few minutes the previous release and the next one
 * serve traffic side by side, on one Redis, and the next release has changed
 * the shape of a cached type (a user's `name` became `firstName`/`lastName`).
 *
 * The source's answer (9.1, lesson 05) is a version in the key: each release
 * reads and writes its own keys. Then an update handled by the old release
 * deletes the old release's copy only, and the new release keeps serving its
 * own stale copy until the TTL ends; and every key is cold for the new release.
 *
 * Here both releases share the key, and the value says which shape it has:
 * `{ "shape": 2, "value": … }`. A reader
 * - takes its own shape as it is;
 * - upgrades an older shape, one step at a time, with the upgrades it was given;
 * - treats a newer shape as a miss and leaves it alone (it is the next
 *   release's value; deleting it would make the two releases fight over it);
 * - treats bytes that are no envelope at all as garbage: a miss, and removed.
 */
import type { Redis } from 'ioredis';
import { getJson, setJson, type CacheRead } from '../../provided/json-cache.js';

export interface ShapeOptions {
  /** The shape this release reads and writes: 1, 2, 3… bumped when old readers would misread the new one. */
  shape: number;
  /** upgrades[n] turns a value of shape n into shape n + 1. */
  upgrades?: Record<number, (older: any) => unknown>;
}

export interface Envelope {
  shape: number;
  value: unknown;
}

export class ShapedCache<T> {
  readonly shape: number;
  readonly #upgrades: Record<number, (older: any) => unknown>;

  constructor(
    readonly redis: Redis,
    readonly prefix: string,
    { shape, upgrades = {} }: ShapeOptions,
  ) {
    if (!isShape(shape)) throw new RangeError(`ShapedCache: shape must be a positive integer, got ${String(shape)}`);
    this.shape = shape;
    this.#upgrades = upgrades;
  }

  /** One key per id, whatever the release: both releases read and delete the same copy. */
  keyFor(id: string): string {
    if (typeof id !== 'string' || id === '') throw new TypeError(`ShapedCache: the id must be a non-empty string, got ${String(id)}`);
    return `${this.prefix}${id}`;
  }

  async get(id: string): Promise<CacheRead<T>> {
    const key = this.keyFor(id);
    const read = await getJson<unknown>(this.redis, key);
    if (!read.hit) return read;
    if (!isEnvelope(read.value)) {
      await this.redis.unlink(key); // garbage for every release
      return { hit: false };
    }
    let { shape, value } = read.value;
    if (shape > this.shape) return { hit: false }; // the next release's: not ours to read or remove
    try {
      for (; shape < this.shape; shape++) {
        const upgrade = this.#upgrades[shape];
        if (upgrade === undefined) return { hit: false }; // a release that skipped a shape cannot read it
        value = upgrade(value);
        if (value === undefined) return { hit: false }; // an upgrade that forgot to return
      }
    } catch {
      return { hit: false }; // an upgrade that cannot read this value: load it again
    }
    return { hit: true, value: value as T };
  }

  async set(id: string, value: T, ttlSeconds: number): Promise<void> {
    // JSON would drop it from the envelope, and every release would read garbage.
    if (value === undefined) throw new TypeError(`ShapedCache.set(${id}): undefined is not a value; cache null instead`);
    const envelope: Envelope = { shape: this.shape, value };
    await setJson(this.redis, this.keyFor(id), envelope, ttlSeconds);
  }

  /** Invalidate-on-write: whichever release handled the update, the copy both read goes. */
  async delete(id: string): Promise<void> {
    await this.redis.unlink(this.keyFor(id));
  }
}

function isShape(shape: unknown): shape is number {
  return Number.isSafeInteger(shape) && (shape as number) >= 1;
}

function isEnvelope(stored: unknown): stored is Envelope {
  return typeof stored === 'object' && stored !== null && 'value' in stored && isShape((stored as Envelope).shape);
}
