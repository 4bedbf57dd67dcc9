/**
 * Realistic JSON to compress: users as an API returns them. Repetitive the way
 * real records are (the same keys, domains, roles, cities), varied the way
 * ids, names and timestamps are. Seeded: the same n users on every run.
 */
import { seededRandom } from './workload.js';

export interface User {
  id: number;
  name: string;
  email: string;
  roles: string[];
  createdAt: string;
  address: { city: string; zip: string };
  preferences: { theme: 'light' | 'dark'; newsletter: boolean; language: string };
  bio: string;
}

const first = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Dennis', 'Radia', 'Linus'];
const last = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Hamilton', 'Ritchie', 'Perlman', 'Torvalds'];
const cities = ['Berlin', 'Lisbon', 'Toronto', 'Osaka', 'Nairobi', 'Lima', 'Oslo', 'Austin'];
const languages = ['en', 'de', 'pt', 'ja', 'fr', 'es'];
const words = 'builds tests caches ships reviews writes reads teaches measures fixes designs runs data systems code queues indexes'.split(' ');

export function users(n: number, seed = 9): User[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  return Array.from({ length: n }, (_, id) => {
    const name = `${pick(first)} ${pick(last)}`;
    return {
      id,
      name,
      email: `${name.toLowerCase().replace(' ', '.')}${Math.floor(random() * 1000)}@example.com`,
      roles: random() < 0.1 ? ['admin', 'editor'] : ['reader'],
      createdAt: new Date(Date.UTC(2020, 0, 1) + Math.floor(random() * 5 * 365 * 86_400_000)).toISOString(),
      address: { city: pick(cities), zip: String(10_000 + Math.floor(random() * 90_000)) },
      preferences: { theme: random() < 0.5 ? 'light' : 'dark', newsletter: random() < 0.3, language: pick(languages) },
      bio: Array.from({ length: 4 + Math.floor(random() * 8) }, () => pick(words)).join(' '),
    };
  });
}
