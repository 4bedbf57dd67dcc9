// Lesson 01's key builder, given to every lesson that memoizes: f(1, "2") and
// f("1", 2) get different keys; so do objects with different contents.
export { cacheKey } from '../solutions/01-memoization/cache-key.js';
