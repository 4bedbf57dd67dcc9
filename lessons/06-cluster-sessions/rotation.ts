/**
 * Exercise 6 of 6: sessions, step 3: the idle timeout slides, and rotate()
 * gives a session a new token (session fixation).
 *
 * Run `npm run lesson 6 rotation`.
 */
import { todo } from '../../provided/todo.js';
import type { Session } from '../../provided/session-parts.js';
// Given: steps 1 and 2's reference (you may start here).
import { RevocableSessionStore } from '../../provided/session-steps.js';

export class RotatingSessionStore<T = unknown> extends RevocableSessionStore<T> {
  /** The live session of a token, its idle timeout moved on; null for anything else. */
  override async get(token: string): Promise<Session<T> | null> {
    // TODO: slide the idle timeout (never past the absolute lifetime), without bringing an ended session back.
    return super.get(token);
  }

  /** A new token for the same session; the old one is dead when this resolves. Null when there was no live session. */
  async rotate(token: string): Promise<string | null> {
    return todo('06-cluster-sessions', `RotatingSessionStore.rotate(${String(token).slice(0, 8)}…)`);
  }
}
