// Lesson 03's JSON caching, given to the lessons that build on it (04, 05):
// a read that tells a miss from a cached null, 0, '' or false, and the checks
// that reject an empty key or a TTL Redis would refuse, at the call.
export { assertKey, assertTtl, getJson, setJson, toJson, type CacheRead } from '../solutions/03-redis-caching/json-cache.js';
