/**
 * Sessions in Redis (source 6.2), done so that a session can be trusted,
 * ended and revoked.
 *
 * - The token is 256 random bits, and Redis keeps only its SHA-256: a dump of
 *   Redis, a replica or MONITOR shows no token anyone could log in with.
 * - Two clocks: an idle timeout that slides on every use, and an absolute
 *   lifetime that nothing extends (the source has one fixed hour).
 * - rotate() gives the session a new token and kills the old one, at login or
 *   privilege change, so a token planted before login is worth nothing.
 * - revokeAll() logs a user out everywhere through a per-user index, a sorted
 *   set scored by absolute expiry whose dead members are dropped on write.
 * - Data goes through lesson 03's codec: a Date comes back a Date, and bytes
 *   the codec did not write are a miss, never a crash.
 *
 * On a cluster, a session key and its user's index live in different slots
 * (a lookup knows only the token). So no step touches two keys: each step is
 * one atomic command on one key, and the order of the steps makes every
 * crash or race end in "logged out", never in a session revokeAll misses.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { jsonCodec, type Codec } from '../../provided/codecs.js';

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

/** What Redis holds for a session (times in ms since the epoch). */
interface StoredSession {
  userId: string;
  data: unknown;
  createdAt: number;
  idleExpiresAt: number;
  absoluteExpiresAt: number;
}

// A session longer than a year is a bug, and past 2^53 ms its dates stop being exact.
const YEAR_MS = 366 * 24 * 3_600_000;
const TOKEN = /^[A-Za-z0-9_-]{43}$/; // 32 bytes, base64url, no padding

// KEYS[1]: a user's index. ARGV: now, the session's absolute expiry, its token hash.
// Drops the members past their absolute expiry, adds this one, and keeps the
// index alive as long as its longest-lived member (one key: one slot, atomic).
const INDEX_SESSION = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIRE', KEYS[1], tonumber(newest[2]) - tonumber(ARGV[1]))`;

/** The key a token is stored under: its SHA-256, never the token itself. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class SessionStore<T = unknown> {
  readonly #redis: Redis | Cluster;
  readonly #prefix: string;
  readonly #idleMs: number;
  readonly #absoluteMs: number;
  readonly #now: () => number;
  readonly #codec: Codec;
  readonly #maxBytes: number;

  constructor(
    redis: Redis | Cluster,
    {
      prefix,
      idleTimeoutMs = 30 * 60_000,
      absoluteTimeoutMs = 12 * 3_600_000,
      now = Date.now,
      codec = jsonCodec,
      maxBytes = 16_384,
    }: SessionStoreOptions,
  ) {
    checkWholeNumber('idleTimeoutMs', idleTimeoutMs, YEAR_MS);
    checkWholeNumber('absoluteTimeoutMs', absoluteTimeoutMs, YEAR_MS);
    checkWholeNumber('maxBytes', maxBytes, 512 * 1024 * 1024); // Redis's largest string
    if (idleTimeoutMs > absoluteTimeoutMs) {
      throw new RangeError(`SessionStore: idleTimeoutMs (${idleTimeoutMs}) is longer than absoluteTimeoutMs (${absoluteTimeoutMs})`);
    }
    if (typeof prefix !== 'string') throw new TypeError('SessionStore: prefix must be a string');
    this.#redis = redis;
    this.#prefix = prefix;
    this.#idleMs = idleTimeoutMs;
    this.#absoluteMs = absoluteTimeoutMs;
    this.#now = now;
    this.#codec = codec;
    this.#maxBytes = maxBytes;
  }

  /** Starts a session and returns its token (give it to the client, e.g. in a cookie). */
  async create(userId: string, data: T): Promise<string> {
    checkUserId(userId);
    const now = this.#clock();
    const absoluteExpiresAt = now + this.#absoluteMs;
    const idleExpiresAt = Math.min(now + this.#idleMs, absoluteExpiresAt);
    const stored: StoredSession = { userId, data, createdAt: now, idleExpiresAt, absoluteExpiresAt };
    const bytes = this.#encode(stored); // an unstorable value fails here, before anything is written
    return this.#store(stored, bytes, now);
  }

  /** The live session of a token, its idle timeout moved on; null for anything else. */
  async get(token: string): Promise<Session<T> | null> {
    const found = await this.#read(token);
    if (!found) return null;
    const { key, stored, now } = found;
    stored.idleExpiresAt = Math.min(now + this.#idleMs, stored.absoluteExpiresAt);
    // XX: a session revoked since the read stays revoked.
    await this.#redis.set(key, this.#encode(stored), 'PX', stored.idleExpiresAt - now, 'XX');
    return toSession(stored);
  }

  /** A new token for the same session; the old one is dead when this resolves. Null when there was no live session. */
  async rotate(token: string): Promise<string | null> {
    const found = await this.#read(token);
    if (!found) return null;
    const { key, stored, now } = found;
    stored.idleExpiresAt = Math.min(now + this.#idleMs, stored.absoluteExpiresAt);
    const fresh = await this.#store(stored, this.#encode(stored), now);
    // Claim the old token: if someone revoked or rotated it meanwhile, undo ours.
    if ((await this.#take(key)) === null) {
      await this.destroy(fresh);
      return null;
    }
    await this.#redis.zrem(this.#indexKey(stored.userId), hashToken(token));
    return fresh;
  }

  /** Ends one session (logout). Says whether there was one. */
  async destroy(token: string): Promise<boolean> {
    if (!isToken(token)) return false;
    const key = this.#sessionKey(hashToken(token));
    const bytes = await garbageIfForeign(this.#take(key));
    if (bytes === null) return false;
    const stored = this.#decode(bytes);
    if (!stored) {
      await this.#redis.unlink(key); // a foreign value is gone now, but it was no session
      return false;
    }
    await this.#redis.zrem(this.#indexKey(stored.userId), hashToken(token));
    return true;
  }

  /** Ends every session of the user ("log out everywhere"); says how many were live. */
  async revokeAll(userId: string): Promise<number> {
    checkUserId(userId);
    const index = this.#indexKey(userId);
    const hashes = await this.#redis.zrange(index, 0, -1);
    if (hashes.length === 0) return 0;
    // One key per command: in a cluster the sessions live in many slots.
    const removed = await Promise.all(hashes.map((hash) => this.#redis.unlink(this.#sessionKey(hash))));
    // Only what was read: a session created meanwhile stays findable.
    await this.#redis.zrem(index, ...hashes);
    return removed.reduce((sum, n) => sum + n, 0);
  }

  /** Index first, then the session: a crash in between leaves an index entry to nothing, never a session revokeAll cannot find. */
  async #store(stored: StoredSession, bytes: Buffer, now: number): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.#redis.eval(INDEX_SESSION, 1, this.#indexKey(stored.userId), now, stored.absoluteExpiresAt, hashToken(token));
    await this.#redis.set(this.#sessionKey(hashToken(token)), bytes, 'PX', stored.idleExpiresAt - now, 'NX');
    return token;
  }

  /** GET and UNLINK in one MULTI (one key, so one slot): of two callers, only one gets the bytes. */
  async #take(key: string): Promise<Buffer | null> {
    // Stryker disable next-line ArrayDeclaration: a MULTI without WATCH always answers both replies, so the defaults are never used
    const [[readError, bytes] = [], [unlinkError] = []] = (await this.#redis.multi().getBuffer(key).unlink(key).exec()) ?? [];
    if (readError || unlinkError) throw readError ?? unlinkError;
    return bytes as Buffer | null;
  }

  /** The stored session of a token if it is live now. Garbage, foreign values and expired sessions are removed. */
  async #read(token: string): Promise<{ key: string; stored: StoredSession; now: number } | null> {
    if (!isToken(token)) return null; // nothing to look up: no hashing of megabytes, no round trip
    const key = this.#sessionKey(hashToken(token));
    const bytes = await garbageIfForeign(this.#redis.getBuffer(key));
    if (bytes === null) return null;
    const stored = this.#decode(bytes);
    const now = this.#clock();
    if (!stored || now >= stored.idleExpiresAt || now >= stored.absoluteExpiresAt) {
      await this.#redis.unlink(key);
      if (stored) await this.#redis.zrem(this.#indexKey(stored.userId), hashToken(token));
      return null;
    }
    return { key, stored, now };
  }

  #encode(stored: StoredSession): Buffer {
    const bytes = this.#codec.encode(stored);
    if (bytes.length > this.#maxBytes) {
      throw new RangeError(`SessionStore: the session of user ${stored.userId} is ${bytes.length} bytes, over maxBytes (${this.#maxBytes}); keep big data in the database and its id in the session`);
    }
    return bytes;
  }

  /** Bytes the codec did not write, or a shape that is not a session, are null: a miss. */
  #decode(bytes: Buffer): StoredSession | null {
    let value: unknown;
    // Stryker disable BlockStatement: without the early return, value stays undefined, which the shape check refuses alike
    try {
      value = this.#codec.decode(bytes);
    } catch {
      return null;
    }
    // Stryker restore BlockStatement
    const s = value as StoredSession;
    // Stryker disable next-line ArrayDeclaration: any list that is not three times long is refused alike
    const times = typeof s === 'object' && s !== null ? [s.createdAt, s.idleExpiresAt, s.absoluteExpiresAt] : [];
    const valid =
      times.length === 3 &&
      times.every((t) => Number.isSafeInteger(t)) &&
      typeof s.userId === 'string' &&
      s.userId !== '' &&
      'data' in s;
    return valid ? s : null;
  }

  #clock(): number {
    const now = this.#now();
    if (!Number.isSafeInteger(now) || now < 0) throw new RangeError(`SessionStore: now() must return ms since the epoch, got ${String(now)}`);
    return now;
  }

  #sessionKey(tokenHash: string): string {
    return `${this.#prefix}session:${tokenHash}`;
  }

  #indexKey(userId: string): string {
    return `${this.#prefix}user:${userId}:sessions`;
  }
}

/** A key of another type where a session should be (WRONGTYPE) reads as bytes no codec wrote. Any other error is the caller's to see. */
async function garbageIfForeign(read: Promise<Buffer | null>): Promise<Buffer | null> {
  try {
    const bytes: unknown = await read;
    // Stryker disable next-line ConditionalExpression: the codec refuses a value that is not its bytes, so handing it on is a miss too
    return bytes === null || Buffer.isBuffer(bytes) ? bytes : Buffer.alloc(0); // ioredis-mock hands back the list itself
  } catch (error) {
    if (/WRONGTYPE/.test((error as Error).message)) return Buffer.alloc(0);
    throw error;
  }
}

function isToken(token: unknown): token is string {
  return typeof token === 'string' && TOKEN.test(token);
}

function checkWholeNumber(name: string, value: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new RangeError(`SessionStore: ${name} must be a whole number from 1 to ${max}, got ${String(value)}`);
  }
}

function checkUserId(userId: string): void {
  if (typeof userId !== 'string' || userId === '' || userId.length > 256) {
    throw new TypeError(`SessionStore: a user id is a non-empty string of at most 256 characters, got ${JSON.stringify(userId) ?? String(userId)}`);
  }
}

function toSession<T>(stored: StoredSession): Session<T> {
  return {
    userId: stored.userId,
    data: stored.data as T,
    createdAt: new Date(stored.createdAt),
    idleExpiresAt: new Date(stored.idleExpiresAt),
    absoluteExpiresAt: new Date(stored.absoluteExpiresAt),
  };
}
