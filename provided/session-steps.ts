// Lesson 06's session steps, given to the steps that come after them (and to
// anyone who starts at a later step): each is the reference of its exercise.
export { SessionStore, hashToken, type Found } from '../solutions/06-cluster-sessions/sessions.js';
export { RevocableSessionStore } from '../solutions/06-cluster-sessions/revocation.js';
