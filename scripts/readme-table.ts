/** npm run readme:table: rewrites the lesson table in README.md from manifest.ts. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withLessonTable } from './lib/lesson-table.js';
import { root } from './lib/vitest-config.js';

const file = path.join(root, 'README.md');
writeFileSync(file, withLessonTable(readFileSync(file, 'utf8')));
console.log('README.md: lesson table written from manifest.ts');
