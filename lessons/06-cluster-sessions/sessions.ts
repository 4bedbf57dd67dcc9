/**
 * Exercise 4 of 4: sessions in Redis (source 6.2).
 *
 * This is the source's session code in TypeScript: a good random token,
 * stored as it is, one fixed hour, and `if cached:`. It passes a demo. The
 * README lists what an attacker, a slow user and a "log out everywhere"
 * button do to it; rotate, destroy and revokeAll are yours to write.
 */
import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { Codec } from '../../provided/codecs.js';
import { todo } from '../../provided/todo.js';

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

/** The key a token is stored under: its SHA-256, never the token itself. */
export function hashToken(token: string): string {
  // TODO: SHA-256, hex (node:crypto's createHash).
  return token;
}

export class SessionStore<T = unknown> {
  constructor(
    readonly redis: Redis | Cluster,
    readonly options: SessionStoreOptions,
  ) {}

  /** Starts a session and returns its token (give it to the client, e.g. in a cookie). */
  async create(userId: string, data: T): Promise<string> {
    // TODO: check the input; store the hash, two timeouts, the codec, the per-user index.
    const token = randomBytes(32).toString('base64url'); // secrets.token_urlsafe(32)
    const createdAt = new Date().toLocaleString('sv').replace(' ', 'T'); // datetime.now().isoformat()
    const session = { userId, data, createdAt };
    await this.redis.setex(`${this.options.prefix}session:${hashToken(token)}`, 3600, JSON.stringify(session));
    return token;
  }

  /** The live session of a token, its idle timeout moved on; null for anything else. */
  async get(token: string): Promise<Session<T> | null> {
    // TODO: the README's checks, in order; a garbage value is a miss, not a crash.
    const cached = await this.redis.get(`${this.options.prefix}session:${hashToken(token)}`);
    if (cached) return JSON.parse(cached) as Session<T>;
    return null;
  }

  /** A new token for the same session; the old one is dead when this resolves. Null when there was no live session. */
  async rotate(token: string): Promise<string | null> {
    return todo('06-cluster-sessions', `SessionStore.rotate(${token.slice(0, 8)}…)`);
  }

  /** Ends one session (logout). Says whether there was one. */
  async destroy(token: string): Promise<boolean> {
    return todo('06-cluster-sessions', 'SessionStore.destroy');
  }

  /** Ends every session of the user ("log out everywhere"); says how many were live. */
  async revokeAll(userId: string): Promise<number> {
    return todo('06-cluster-sessions', `SessionStore.revokeAll(${userId})`);
  }
}
