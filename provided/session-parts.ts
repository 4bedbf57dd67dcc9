/**
 * What every step of lesson 06's sessions is given, because it is not the
 * point of any step: the types, the options read and checked once, a token,
 * and the stored shape with its codec.
 *
 * - A token is 256 bits from the operating system's random source, base64url:
 *   the source's `secrets.token_urlsafe(32)`, which is right.
 * - A session goes to Redis through a codec (lesson 03's jsonCodec by
 *   default) and comes back exactly as it went in, or it is refused when it
 *   is written: encodeSession decodes what it encoded and compares.
 * - Whatever is at a session key and is not a session this store wrote
 *   (garbage, another shape, a key of another type) decodes to null: a miss.
 */
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Cluster, Redis } from 'ioredis';
import { isWrongType } from './checks.js';
import { jsonCodec, type Codec } from './codecs.js';

export type SessionRedis = Redis | Cluster;

export interface Session<T> {
  userId: string;
  data: T;
  /** When the session was created: an instant (UTC), not a local wall-clock time. */
  createdAt: Date;
  /** It ends here unless it is used before; each use moves this on, up to absoluteExpiresAt. */
  idleExpiresAt: Date;
  /** It ends here whatever happens. */
  absoluteExpiresAt: Date;
}

export interface SessionStoreOptions {
  /** Every key starts with it. */
  prefix: string;
  /** An unused session ends after this long. Default 30 minutes. */
  idleTimeoutMs?: number;
  /** A session ends this long after it was created, used or not. Default 12 hours. */
  absoluteTimeoutMs?: number;
  /** The store's clock, in ms since the epoch (tests pass a fake one). */
  now?: () => number;
  /** How session data becomes bytes. Default: lesson 03's jsonCodec. */
  codec?: Codec;
  /** The largest encoded session accepted, in bytes. Default 16 KiB. */
  maxBytes?: number;
}

/** The options, checked, with their defaults. */
export interface SessionSettings {
  prefix: string;
  idleMs: number;
  absoluteMs: number;
  now: () => number;
  codec: Codec;
  maxBytes: number;
}

/** What Redis holds for a session (times in ms since the epoch). */
export interface StoredSession {
  userId: string;
  data: unknown;
  createdAt: number;
  idleExpiresAt: number;
  absoluteExpiresAt: number;
}

// A session longer than a year is a bug, and past 2^53 ms its dates stop being exact.
const YEAR_MS = 366 * 24 * 3_600_000;
const TOKEN = /^[A-Za-z0-9_-]{43}$/; // 32 bytes, base64url, no padding

/** Reads and checks the options: a bad one is a RangeError (a TypeError for the prefix) that names it. */
export function sessionSettings(options: SessionStoreOptions): SessionSettings {
  const { prefix, idleTimeoutMs = 30 * 60_000, absoluteTimeoutMs = 12 * 3_600_000, now = Date.now, codec = jsonCodec, maxBytes = 16_384 } = options;
  checkWholeNumber('idleTimeoutMs', idleTimeoutMs, YEAR_MS);
  checkWholeNumber('absoluteTimeoutMs', absoluteTimeoutMs, YEAR_MS);
  checkWholeNumber('maxBytes', maxBytes, 512 * 1024 * 1024); // Redis's largest string
  if (idleTimeoutMs > absoluteTimeoutMs) {
    throw new RangeError(`SessionStore: idleTimeoutMs (${idleTimeoutMs}) is longer than absoluteTimeoutMs (${absoluteTimeoutMs})`);
  }
  if (typeof prefix !== 'string') throw new TypeError('SessionStore: prefix must be a string');
  return { prefix, idleMs: idleTimeoutMs, absoluteMs: absoluteTimeoutMs, now, codec, maxBytes };
}

/** The store's clock, read once per operation: a clock that says NaN is an error, not a session that never expires. */
export function readClock(now: () => number): number {
  const ms = now();
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`SessionStore: now() must return ms since the epoch, got ${String(ms)}`);
  return ms;
}

/** A user id is a non-empty string of at most 256 characters: a TypeError naming userId otherwise. */
export function checkUserId(userId: string): void {
  if (typeof userId !== 'string' || userId === '' || userId.length > 256) {
    throw new TypeError(`SessionStore: userId must be a non-empty string of at most 256 characters, got ${JSON.stringify(userId) ?? String(userId)}`);
  }
}

/** A new token: 256 random bits, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether a value can be a token at all (43 base64url characters): anything else is looked up nowhere. */
export function isToken(token: unknown): token is string {
  return typeof token === 'string' && TOKEN.test(token);
}

/**
 * The bytes of a session. What would not come back exactly (a class instance,
 * a key JavaScript treats specially, a -0 a codec turns into 0) is a TypeError
 * naming data, and a session over maxBytes a RangeError naming maxBytes:
 * either way before anything is written.
 */
export function encodeSession(stored: StoredSession, { codec, maxBytes }: SessionSettings): Buffer {
  let bytes: Buffer;
  try {
    bytes = codec.encode(stored);
  } catch (error) {
    // A codec that refuses with a plain Error (superjson does, for a __proto__ key) still refuses the data.
    if (error instanceof TypeError) throw error;
    throw new TypeError(`SessionStore: the ${codec.name} codec cannot store the session data of user ${stored.userId}: ${(error as Error).message}`, { cause: error });
  }
  if (bytes.length > maxBytes) {
    throw new RangeError(`SessionStore: the session of user ${stored.userId} is ${bytes.length} bytes, over maxBytes (${maxBytes}); keep big data in the database and its id in the session`);
  }
  if (!isDeepStrictEqual(decodeSession(bytes, codec), stored)) {
    throw new TypeError(`SessionStore: the session data of user ${stored.userId} would not come back as it is through the ${codec.name} codec; store plain data`);
  }
  return bytes;
}

/** The session in some bytes, or null for bytes the codec did not write and for a shape that is not a session. */
export function decodeSession(bytes: Buffer, codec: Codec): StoredSession | null {
  let value: unknown;
  try {
    value = codec.decode(bytes);
  } catch {
    return null; // whatever a codec throws at bytes it cannot read, they are not a session
  }
  if (typeof value !== 'object' || value === null) return null;
  const s = value as StoredSession;
  const times = [s.createdAt, s.idleExpiresAt, s.absoluteExpiresAt];
  const valid = times.every((t) => Number.isSafeInteger(t)) && typeof s.userId === 'string' && s.userId !== '' && 'data' in s;
  return valid ? s : null;
}

/** A read whose key may hold another type: WRONGTYPE answers `otherwise`. Any other error is the caller's to see. */
export async function unlessWrongType<T>(read: Promise<T>, otherwise: T): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (isWrongType(error)) return otherwise;
    throw error;
  }
}

/** The bytes at a session key: a key of another type reads as bytes no codec wrote (a miss, which the caller removes). */
export async function readBytes(read: Promise<Buffer | null>): Promise<Buffer | null> {
  const bytes: unknown = await unlessWrongType<unknown>(read, Buffer.alloc(0));
  return bytes === null || Buffer.isBuffer(bytes) ? bytes : Buffer.alloc(0); // ioredis-mock hands back the list itself
}

// Lesson 06, step 2: the per-user index's one write, a Lua script on one key (atomic on a cluster too).
// KEYS[1]: a user's index. ARGV: now, the session's absolute expiry, its token hash.
// Replaces a key of another type, drops the members past their absolute expiry,
// adds this one, and keeps the index alive as long as its longest-lived member.
export const INDEX_SESSION = `
local kind = redis.call('TYPE', KEYS[1])
kind = kind.ok or kind -- Redis hands Lua a status reply as {ok = 'zset'}, ioredis-mock as the string
if kind ~= 'zset' and kind ~= 'none' then redis.call('DEL', KEYS[1]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIRE', KEYS[1], tonumber(newest[2]) - tonumber(ARGV[1]))`;

/** GET and UNLINK of one key in one MULTI (one key, so one slot): of two callers, only one gets the bytes. */
export async function takeBytes(redis: SessionRedis, key: string): Promise<Buffer | null> {
  // exec() answers null only when a WATCHed key changed, and this MULTI watches none.
  const [[readError, bytes], [unlinkError]] = (await redis.multi().getBuffer(key).unlink(key).exec())!;
  if (readError || unlinkError) throw readError ?? unlinkError;
  return bytes as Buffer | null;
}

/** The session as the caller sees it: its times as Dates. */
export function toSession<T>(stored: StoredSession): Session<T> {
  return {
    userId: stored.userId,
    data: stored.data as T,
    createdAt: new Date(stored.createdAt),
    idleExpiresAt: new Date(stored.idleExpiresAt),
    absoluteExpiresAt: new Date(stored.absoluteExpiresAt),
  };
}

function checkWholeNumber(name: string, value: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new RangeError(`SessionStore: ${name} must be a whole number from 1 to ${max}, got ${String(value)}`);
  }
}
