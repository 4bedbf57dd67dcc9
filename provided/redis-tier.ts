// Lesson 11's L2 (exercise 2), given to the steps that build on it: Redis that
// reads what it cannot read as a miss, and a load that cannot undo a write or
// a delete made while it ran.
export { RedisTier, type RedisTierOptions } from '../solutions/11-two-tiers/redis-tier.js';
