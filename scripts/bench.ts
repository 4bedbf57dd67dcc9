/**
 * npm run bench [name]: the speed measurements, never asserted in a test.
 *
 * Every .ts file directly in scripts/bench/ is one bench: it exports
 * `title: string` and a default `async function run(): Promise<void>` that
 * prints its own results. Without a name they all run, one after another, in
 * this one process; `npm run bench lru-ttl` runs scripts/bench/lru-ttl.ts.
 * Helpers they share live in scripts/bench/support/, which is not a bench.
 * `npm run bench kata -- --quick` and `-- --runs 15`: see BenchOptions and scripts/bench/kata.ts.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from './lib/args.js';
import { bold, dim, fail } from './lib/ui.js';
import { root } from './lib/vitest-config.js';

/** The options of `npm run bench`, handed to every bench; only kata reads them. */
export interface BenchOptions {
  /** kata: one run of each figure, and no npm test. */
  quick?: boolean;
  /** kata: runs per figure (5 unless said). */
  runs?: string;
}

interface BenchModule {
  title: string;
  default: (options: BenchOptions) => Promise<void>;
}

const dir = path.join(root, 'scripts/bench');
const names = readdirSync(dir, { withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
  .map((entry) => entry.name.slice(0, -'.ts'.length))
  .sort();

const { values: options, positionals } = parseArgs({ allowPositionals: true, options: { quick: { type: 'boolean' }, runs: { type: 'string' } } });
const wanted = positionals[0]?.replace(/\.ts$/, '');
if (wanted !== undefined && !names.includes(wanted)) {
  fail(`There is no bench "${wanted}". The benches are: ${names.join(', ')} (npm run bench runs them all).`);
}

for (const name of wanted === undefined ? names : [wanted]) {
  const bench = (await import(pathToFileURL(path.join(dir, `${name}.ts`)).href)) as BenchModule;
  if (typeof bench.title !== 'string' || typeof bench.default !== 'function') {
    fail(`scripts/bench/${name}.ts must export \`title\` (a string) and a default async function.`);
  }
  console.log(`\n${bold(bench.title)} ${dim(`(scripts/bench/${name}.ts)`)}\n`);
  await bench.default(options);
}
// A bench is done when its last table is printed: whatever handle a bench left open
// (a child's pipe, a timer of a library it timed) must not keep the command waiting.
process.exit(process.exitCode ?? 0);
