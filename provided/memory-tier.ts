// Lesson 11's L1 (exercise 1), given to the steps that build on it: a bounded,
// expiring in-process tier that an answer read before an invalidation cannot fill.
export { MemoryTier, type Box, type MemoryTierOptions } from '../solutions/11-two-tiers/memory-tier.js';
