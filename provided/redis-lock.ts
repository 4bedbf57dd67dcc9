// Lesson 10's lock, given to the steps and lessons that build on it (10's
// locked load, 11's Redis tier): acquireLock / releaseLock (exercise 2) and the
// fenced write and invalidation (exercise 3).
export { acquireLock, MAX_LOCK_MS, releaseLock, type Lock } from '../solutions/10-stampede/redis-lock.js';
export { invalidate, writeWhileLocked } from '../solutions/10-stampede/fencing.js';
