// Lesson 05's TaggedCache (exercise 4), given to the step after it
// (tagged-loads.ts): tag indexes in sorted sets, written by one script.
export { TaggedCache, type TaggedCacheOptions } from '../solutions/05-invalidation/tags.js';
