// Lesson 08's hitRate (exercise 3), given to its CacheMetrics (exercise 4) so
// that you can start at either: null with no lookups, never NaN.
export { hitRate } from '../solutions/08-best-practices/monitoring.js';
