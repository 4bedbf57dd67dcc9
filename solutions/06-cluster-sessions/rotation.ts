/**
 * Sessions, step 3 of 3: the idle timeout slides, and rotate() gives a
 * session a new token.
 *
 * - Each use moves the idle timeout on, never past the absolute lifetime.
 * - rotate() at login and at every change of privilege: a token planted
 *   before login (session fixation) is worth nothing after it. The new token
 *   is indexed before the old one is claimed, and the claim is the old hash
 *   leaving the index (ZREM answers 1 to one caller only): of two rotations one
 *   wins, and a rotation that meets "log out everywhere" leaves nothing alive.
 */
import { RevocableSessionStore } from './revocation.js';
import { hashToken } from './sessions.js';
import { encodeSession, newToken, toSession, type Session } from '../../provided/session-parts.js';
import type { Found } from './sessions.js';

export class RotatingSessionStore<T = unknown> extends RevocableSessionStore<T> {
  /** The live session of a token, its idle timeout moved on; null for anything else. */
  override async get(token: string): Promise<Session<T> | null> {
    const found = await this.read(token);
    if (!found) return null;
    const { hash, stored, now } = this.slide(found);
    // XX: a session ended since the read is not written back to life.
    await this.redis.set(this.sessionKey(hash), encodeSession(stored, this.settings), 'PX', stored.idleExpiresAt - now, 'XX');
    return toSession<T>(stored);
  }

  /** A new token for the same session; the old one is dead when this resolves. Null when there was no live session. */
  async rotate(token: string): Promise<string | null> {
    const found = await this.read(token);
    if (!found) return null;
    const { hash, stored, now } = this.slide(found);
    const fresh = newToken();
    await this.store(hashToken(fresh), stored, encodeSession(stored, this.settings), now);
    // Claim the old token: if someone revoked or rotated it meanwhile, undo ours.
    if ((await this.unindex(stored.userId, hash)) === 0) {
      await this.drop(hashToken(fresh), stored);
      return null;
    }
    await this.redis.unlink(this.sessionKey(hash));
    return fresh;
  }

  /** The idle timeout, moved on from now: never past the absolute lifetime. */
  private slide(found: Found): Found {
    const { stored, now } = found;
    stored.idleExpiresAt = Math.min(now + this.settings.idleMs, stored.absoluteExpiresAt);
    return found;
  }
}
