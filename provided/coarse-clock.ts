// Lesson 02's coarseClock: performance.now(), read at most once per
// millisecond (an unref()ed timer forgets the reading). The default clock of
// 02's TtlCache and IndexedTtlCache. It is the reference solution itself, not a copy.
export { coarseClock } from '../solutions/02-ttl-caches/coarse-clock.js';
