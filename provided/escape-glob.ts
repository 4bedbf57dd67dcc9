// Lesson 05's escapeGlob, given to the lessons that SCAN under a prefix (08):
// a prefix from input, with *, ?, [, ] or \ in it, matches only itself.
export { escapeGlob } from '../solutions/05-invalidation/patterns.js';
