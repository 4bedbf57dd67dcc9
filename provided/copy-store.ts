// Lesson 08's CopyStore (exercise 8: Redis through a breaker, the last copies
// in memory, one log line per outage), given to the FailSafeCache (exercise 9).
export { CopyStore, type Copy, type CopyRead, type CopyStoreOptions } from '../solutions/08-best-practices/copy-store.js';
