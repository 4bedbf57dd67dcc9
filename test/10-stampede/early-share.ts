import type { EarlyRefreshInput } from '@kata/10-stampede/xfetch.js';

/** The share of readers that refresh early at `msBeforeExpiry`, over an even spread of random draws. */
export function earlyShare(decide: (input: EarlyRefreshInput) => boolean, msBeforeExpiry: number, deltaMs: number, beta = 1): number {
  const draws = 10_000;
  let refreshed = 0;
  for (let i = 1; i <= draws; i++) {
    const r = i / (draws + 1);
    if (decide({ now: 1_000_000 - msBeforeExpiry, expiresAt: 1_000_000, deltaMs, beta, random: () => r })) refreshed++;
  }
  return refreshed / draws;
}
