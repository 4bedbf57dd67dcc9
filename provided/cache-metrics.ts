// Lesson 08's CacheMetrics (exercise 4), given to the exercises that count
// into it (the CopyStore and the FailSafeCache) so that you can start at any.
export { CacheMetrics, type CacheCounts } from '../solutions/08-best-practices/metrics.js';
