/**
 * Sessions, step 2 of 3: logout, and "log out everywhere".
 *
 * Each user has an index: a sorted set of their sessions' token hashes, scored
 * by absolute expiry. The index is the truth: a session is live only while
 * its hash is in its user's index. revokeAll takes the whole index in one
 * atomic step, and from that instant those sessions are dead, whatever writes
 * are still in flight; deleting their keys afterwards only frees memory.
 *
 * On a cluster a session key and its user's index live in different slots (a
 * lookup knows only the token), so no command here names two keys: each is
 * atomic on its one key, and the order of the steps does the rest.
 */
import { SessionStore, hashToken, type Found } from './sessions.js';
import { isWrongType } from '../../provided/checks.js';
// Given: the index script, and GET-and-UNLINK of one key in one MULTI.
import { INDEX_SESSION, checkUserId, decodeSession, isToken, readBytes, takeBytes, unlessWrongType, type StoredSession } from '../../provided/session-parts.js';

export class RevocableSessionStore<T = unknown> extends SessionStore<T> {
  /** Ends one session (logout). Says whether there was one. */
  async destroy(token: string): Promise<boolean> {
    if (!isToken(token)) return false;
    const hash = hashToken(token);
    const bytes = await readBytes(takeBytes(this.redis, this.sessionKey(hash)));
    const stored = bytes && decodeSession(bytes, this.settings.codec);
    if (!stored) return false;
    await this.unindex(stored.userId, hash);
    return true; // the MULTI took the key: of a destroy and a revokeAll, only one of them counts this session
  }

  /** Ends every session of the user ("log out everywhere"); says how many there were. */
  async revokeAll(userId: string): Promise<number> {
    checkUserId(userId);
    const index = this.indexKey(userId);
    // ZRANGE and UNLINK in one MULTI on one key: from here on, read() finds none of these sessions.
    const [[readError, hashes], [unlinkError]] = (await this.redis.multi().zrange(index, 0, -1).unlink(index).exec())!;
    if (unlinkError ?? (readError && !isWrongType(readError))) throw unlinkError ?? readError;
    const taken = readError ? [] : (hashes as string[]); // a key of another type was no index, and it is gone now
    // Then free their keys, one command each: in a cluster they live in many slots.
    const removed = await Promise.all(taken.map((hash) => this.redis.unlink(this.sessionKey(hash))));
    return removed.reduce((sum, n) => sum + n, 0);
  }

  /**
   * Index first. A revokeAll that lands before the SET takes this hash with the
   * rest, and the session the SET then writes is dead. (SET first, and a
   * revokeAll in between would miss it, then the ZADD would bring it to life.)
   */
  protected override async store(hash: string, stored: StoredSession, bytes: Buffer, now: number): Promise<void> {
    await this.redis.eval(INDEX_SESSION, 1, this.indexKey(stored.userId), now, stored.absoluteExpiresAt, hash);
    await super.store(hash, stored, bytes, now);
  }

  /** A session whose hash is not in its user's index was revoked: what is left of it is removed. */
  protected override async read(token: string): Promise<Found | null> {
    const found = await super.read(token);
    if (!found) return null;
    const score = await unlessWrongType(this.redis.zscore(this.indexKey(found.stored.userId), found.hash), null);
    if (score === null) {
      await super.drop(found.hash, found.stored);
      return null;
    }
    return found;
  }

  protected override async drop(hash: string, stored: StoredSession | null): Promise<void> {
    await super.drop(hash, stored);
    if (stored) await this.unindex(stored.userId, hash);
  }

  /** Takes a hash out of its user's index: 1 if it was there (this call ended the session), else 0. */
  protected async unindex(userId: string, hash: string): Promise<number> {
    return unlessWrongType(this.redis.zrem(this.indexKey(userId), hash), 0);
  }

  protected indexKey(userId: string): string {
    return `${this.settings.prefix}user:${userId}:sessions`;
  }
}
