// Lesson 02's TtlCache (exercise 1), given to ttl-memoize.ts so that you can
// start at that exercise. It is the reference solution itself, not a copy.
export { TtlCache, type TtlCacheOptions } from '../solutions/02-ttl-caches/ttl-cache.js';
