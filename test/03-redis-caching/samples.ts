/** Values the codec specs round-trip, core and deep alike. */

/** Everything plain JSON loses: JSON.parse(JSON.stringify(rich)) gives a string date, no BigInt (it throws), {} for Map and Set. */
export const rich = {
  createdAt: new Date('2024-05-01T12:00:00Z'),
  balance: 12345678901234567890n,
  roles: new Set(['admin', 'editor']),
  visits: new Map([['2024-05-01', 3]]),
  profile: { nickname: undefined, bio: 'hi' },
  scores: [1, undefined, 3],
};

export const users = Array.from({ length: 100 }, (_, i) => ({
  id: i,
  name: `user ${i}`,
  email: `user${i}@example.com`,
  active: i % 2 === 0,
  createdAt: new Date(Date.UTC(2024, 0, 1 + i)),
}));
