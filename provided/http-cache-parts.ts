// Lesson 07's steps, given to the steps that come after them (and to anyone who
// starts at a later step): each is the reference of its exercise, re-exported.
export { MAX_DELTA_SECONDS, freshnessLifetime, initialAge, isStorable, mayReuse, parseCacheControl, rfc9111Rules, targetedRules } from '../solutions/07-web-caching/cache-policy.js';
export type { CacheRules, FreshnessOptions } from '../solutions/07-web-caching/cache-policy.js';
export { cacheKey, variantKey, varyNames, type CacheKeyOptions } from '../solutions/07-web-caching/cache-key.js';
export { invalidatedKeys } from '../solutions/07-web-caching/invalidation.js';
export { ResponseStore, type Lookup } from '../solutions/07-web-caching/response-store.js';
export { freshen, revalidate, validatorsOf } from '../solutions/07-web-caching/revalidation.js';
export { answer, notModifiedFor } from '../solutions/07-web-caching/conditional.js';
export { Fills, type Shared } from '../solutions/07-web-caching/coalescing.js';
export { keep, miss, type Filled, type KeepOptions } from '../solutions/07-web-caching/miss.js';
