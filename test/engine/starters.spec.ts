/** A starter is the solution's shape with the insides missing: same files, same exports. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lessons } from '../../manifest.js';
import { root } from '../../scripts/lib/vitest-config.js';

const files = lessons.flatMap((lesson) => lesson.files.map((file) => ({ lesson: lesson.slug, file })));

describe('starters', () => {
  it.each(files)('lessons/$lesson/$file exports the same names as its solution', async ({ lesson, file }) => {
    const load = (dir: string) => import(pathToFileURL(path.join(root, dir, lesson, file)).href) as Promise<object>;
    const [starter, solution] = await Promise.all([load('lessons'), load('solutions')]);
    expect(Object.keys(starter).sort()).toEqual(Object.keys(solution).sort());
  });
});
