// Lesson 03's JSON caching, given to the lessons that build on it (04, 05):
// a read that tells a miss from a cached null, 0, '' or false, and the checks
// that reject an empty key, a TTL Redis would refuse, or a value JSON would
// store as something else, at the call.
export { getJson, setJson, type CacheRead } from '../solutions/03-redis-caching/json-cache.js';
export { assertKey, assertTtl, isWrongType, MAX_TTL_SECONDS } from './checks.js';
export { toJson } from './to-json.js';
