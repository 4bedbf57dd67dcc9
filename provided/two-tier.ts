// Lesson 11's TwoTierCache (exercise 3), given to the steps that keep every
// instance's L1 coherent (pub/sub, client-side caching).
export { TwoTierCache, type TwoTierOptions, type TwoTierStats } from '../solutions/11-two-tiers/two-tier.js';
