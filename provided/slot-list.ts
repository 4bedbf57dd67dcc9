// Lesson 01's SlotList (the bonus, step 1): the order of use of numbered slots
// in two typed arrays, given to the caches built on it (01's IndexedLruCache,
// 02's IndexedTtlCache). It is the reference solution itself, not a copy.
export { SlotList } from '../solutions/01-memoization/slot-list.js';
