// Lesson 01's LruCache, given to the lessons that build on it (02's TtlCache),
// so that you can start at any lesson. It is the reference solution itself:
// one copy in the repository, not one per lesson.
export { LruCache, type LruCacheOptions } from '../solutions/01-memoization/lru-cache.js';
