import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withLessonTable } from '../../scripts/lib/lesson-table.js';
import { root } from '../../scripts/lib/vitest-config.js';

const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

describe('README.md', () => {
  it('has the lesson table of manifest.ts (npm run readme:table rewrites it)', () => {
    expect(readme).toBe(withLessonTable(readme));
  });

  it('shows every npm script it names, and each one exists in package.json', () => {
    const named = new Set([...readme.matchAll(/npm run ([a-z:]+)/g)].map((m) => m[1]!));
    for (const script of named) expect(pkg.scripts, `npm run ${script}`).toHaveProperty(script);
    for (const script of ['lesson', 'solution', 'progress', 'hint', 'reset', 'doctor', 'redis:up', 'redis:down', 'test:redis']) {
      expect(named, script).toContain(script);
    }
    expect(readme).toContain('npm test');
  });
});
