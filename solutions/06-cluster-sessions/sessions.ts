/**
 * Sessions in Redis (source 6.2), step 1 of 3: a session a dump of Redis
 * cannot log in with, that ends on time.
 *
 * - The token is 256 random bits, and Redis keeps only its SHA-256: a dump of
 *   Redis, a replica or MONITOR shows no token anyone could log in with.
 * - Two clocks: an idle timeout and an absolute lifetime (the source has one
 *   fixed hour). The store's clock decides; Redis's TTL only frees the memory.
 * - Whatever is at a session key and is not a live session of this store is a
 *   miss, and is removed: garbage, another shape, a key of another type.
 *
 * Given (provided/session-parts.ts): the options and their checks, the token,
 * and the codec of the stored shape.
 */
import { createHash } from 'node:crypto';
import {
  checkUserId,
  decodeSession,
  encodeSession,
  isToken,
  newToken,
  readBytes,
  readClock,
  sessionSettings,
  toSession,
  type Session,
  type SessionRedis,
  type SessionSettings,
  type SessionStoreOptions,
  type StoredSession,
} from '../../provided/session-parts.js';

export type { Session, SessionStoreOptions };

/** The key a token is stored under: its SHA-256, never the token itself. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A live session as read from Redis: its token's hash, what it holds, and when it was read. */
export interface Found {
  hash: string;
  stored: StoredSession;
  now: number;
}

export class SessionStore<T = unknown> {
  protected readonly settings: SessionSettings;

  constructor(
    protected readonly redis: SessionRedis,
    options: SessionStoreOptions,
  ) {
    this.settings = sessionSettings(options);
  }

  /** Starts a session and returns its token (give it to the client, e.g. in a cookie). */
  async create(userId: string, data: T): Promise<string> {
    checkUserId(userId);
    const now = readClock(this.settings.now);
    const absoluteExpiresAt = now + this.settings.absoluteMs;
    const idleExpiresAt = Math.min(now + this.settings.idleMs, absoluteExpiresAt);
    const stored: StoredSession = { userId, data, createdAt: now, idleExpiresAt, absoluteExpiresAt };
    const bytes = encodeSession(stored, this.settings); // an unstorable value fails here, before anything is written
    const token = newToken();
    await this.store(hashToken(token), stored, bytes, now);
    return token;
  }

  /** The live session of a token; null for anything else. */
  async get(token: string): Promise<Session<T> | null> {
    const found = await this.read(token);
    return found && toSession<T>(found.stored);
  }

  /** Writes a session under its token's hash, with a TTL that ends when the session would. */
  protected async store(hash: string, stored: StoredSession, bytes: Buffer, now: number): Promise<void> {
    await this.redis.set(this.sessionKey(hash), bytes, 'PX', stored.idleExpiresAt - now, 'NX');
  }

  /** The session of a token if it is live now; what is there and is not, is removed. */
  protected async read(token: string): Promise<Found | null> {
    if (!isToken(token)) return null; // nothing to look up: no hashing of megabytes, no round trip
    const hash = hashToken(token);
    const bytes = await readBytes(this.redis.getBuffer(this.sessionKey(hash)));
    if (bytes === null) return null;
    const stored = decodeSession(bytes, this.settings.codec);
    const now = readClock(this.settings.now);
    if (!stored || now >= stored.idleExpiresAt || now >= stored.absoluteExpiresAt) {
      await this.drop(hash, stored);
      return null;
    }
    return { hash, stored, now };
  }

  /** Removes what is at a session key: a session that has ended, or something that never was one. */
  protected async drop(hash: string, stored: StoredSession | null): Promise<void> {
    void stored; // this step keeps nothing else about a session; revocation.ts also takes it out of its user's index
    await this.redis.unlink(this.sessionKey(hash));
  }

  protected sessionKey(hash: string): string {
    return `${this.settings.prefix}session:${hash}`;
  }
}
