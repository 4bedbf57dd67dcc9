/**
 * Exercise 4 of 6: sessions in Redis (source 6.2), step 1: create and read.
 *
 * This is the source's session code in TypeScript: a good random token,
 * stored as it is, one fixed hour, and `if cached:`. It passes a demo. The
 * README lists what an attacker, a slow user and a garbage value do to it.
 */
import { randomBytes } from 'node:crypto';
// Given: the options and their checks, the token, the codec of the stored shape.
import {
  sessionSettings,
  type Session,
  type SessionRedis,
  type SessionSettings,
  type SessionStoreOptions,
  type StoredSession,
} from '../../provided/session-parts.js';

export type { Session, SessionStoreOptions };

/** The key a token is stored under: its SHA-256, never the token itself. */
export function hashToken(token: string): string {
  // TODO: SHA-256, hex (node:crypto's createHash).
  return token;
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
    // TODO: check the user id; two expiries from the store's clock; the codec; the hash as the key.
    const token = randomBytes(32).toString('base64url'); // secrets.token_urlsafe(32)
    const createdAt = new Date().toLocaleString('sv').replace(' ', 'T'); // datetime.now().isoformat()
    const session = { userId, data, createdAt };
    await this.redis.setex(`${this.settings.prefix}session:${hashToken(token)}`, 3600, JSON.stringify(session));
    return token;
  }

  /** The live session of a token; null for anything else. */
  async get(token: string): Promise<Session<T> | null> {
    // TODO: the README's checks, in order; a garbage value is a miss, not a crash.
    const cached = await this.redis.get(`${this.settings.prefix}session:${hashToken(token)}`);
    if (cached) return JSON.parse(cached) as Session<T>;
    return null;
  }
}
