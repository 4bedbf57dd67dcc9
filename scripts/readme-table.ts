/**
 * npm run readme:table [-- --json]
 *
 * Measures every lesson whose references, starters or specs changed since
 * sizes.json was written (coverage of its core specs, a count of its deep
 * ones: a few seconds a lesson), then rewrites the lesson table in README.md.
 * --json prints every figure instead: each lesson with its parts and
 * exercises, the numbers the formula in scripts/lib/sizes.ts uses.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from './lib/args.js';
import { lessons } from '../manifest.js';
import { withLessonTable } from './lib/lesson-table.js';
import { isFresh, lessonSize, measure, readMeasured } from './lib/sizes.js';
import { dim } from './lib/ui.js';
import { root } from './lib/vitest-config.js';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, force: { type: 'boolean', default: false } } });

let measured = readMeasured();
const stale = values.force ? lessons : lessons.filter((l) => !isFresh(l, measured));
if (stale.length > 0) {
  const say = (line: string) => (values.json ? process.stderr : process.stdout).write(`${dim(line)}\n`);
  say(`measuring ${stale.length === lessons.length ? 'every lesson' : `lesson${stale.length === 1 ? '' : 's'} ${stale.map((l) => l.number).join(', ')}`} (coverage of the core specs)…`);
  measured = await measure(stale, say);
}

if (values.json) {
  console.log(JSON.stringify(lessons.map((l) => lessonSize(l, measured)), null, 2));
} else {
  const file = path.join(root, 'README.md');
  writeFileSync(file, withLessonTable(readFileSync(file, 'utf8'), measured));
  console.log('README.md: lesson table written from manifest.ts and sizes.json');
}
process.exit(0);
