// Lesson 01's memoize(fn, store): given to lru-memoize.ts, which builds
// @lru_cache from it, so that you can start at that exercise. It is the
// reference solution itself, not a copy.
export { memoize, type ResultStore } from '../solutions/01-memoization/memoize.js';
