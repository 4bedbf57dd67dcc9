/**
 * Exercise 5 of 6: sessions, step 2: logout, and "log out everywhere".
 *
 * The source has no way to end a user's sessions: nothing maps a user to them.
 * Keep a per-user index, and make it the truth: a session whose hash is not in
 * its user's index is not live. Run `npm run lesson 6 revocation`.
 */
import { todo } from '../../provided/todo.js';
// Given: step 1's reference (you may start here).
import { SessionStore } from '../../provided/session-steps.js';
// Given: the index's write (a Lua script on the index key), and GET-and-UNLINK of one key in one MULTI.
import { INDEX_SESSION, takeBytes } from '../../provided/session-parts.js';

export class RevocableSessionStore<T = unknown> extends SessionStore<T> {
  // TODO: override store() (index first, then super.store), read() (a hash not in the index is revoked)
  // and drop() (take it out of the index too).

  /** Ends one session (logout). Says whether it was live. */
  async destroy(token: string): Promise<boolean> {
    return todo('06-cluster-sessions', `RevocableSessionStore.destroy(${String(token).slice(0, 8)}…)`);
  }

  /** Ends every session of the user ("log out everywhere"); says how many there were. */
  async revokeAll(userId: string): Promise<number> {
    void [INDEX_SESSION, takeBytes];
    return todo('06-cluster-sessions', `RevocableSessionStore.revokeAll(${userId})`);
  }

  /** The user's index: a sorted set of token hashes, scored by absolute expiry. */
  protected indexKey(userId: string): string {
    return `${this.settings.prefix}user:${userId}:sessions`;
  }
}
