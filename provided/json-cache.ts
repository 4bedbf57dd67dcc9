// Lesson 03's JSON caching, given to the lessons that build on it (04, 05):
// a read that tells a miss from a cached null, 0, '' or false.
export { getJson, setJson, type CacheRead } from '../solutions/03-redis-caching/json-cache.js';
