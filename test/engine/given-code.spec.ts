/**
 * Given code comes from provided/, never from solutions/: a learner who opens
 * a starter must not read the path of the answer in its imports. (provided/
 * may re-export an earlier lesson's reference; a starter imports provided/.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../../scripts/lib/vitest-config.js';

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.[cm]?[jt]s$/.test(entry.name))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

/** Every module specifier in the file: import … from, export … from, import(), require(). */
function specifiers(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(['"])([^'"]+)\1/g)) found.push(match[2]!);
  return found;
}

describe('given code', () => {
  it('finds the specifiers of every kind of import and export', () => {
    const source = `import a from '../x.js';\nexport { b } from "../../solutions/y.js";\nimport '../z.js';\nconst c = await import('../w.js');`;
    expect(specifiers(source)).toEqual(['../x.js', '../../solutions/y.js', '../z.js', '../w.js']);
  });

  it.each(filesUnder('lessons'))('%s imports nothing from solutions/', (file) => {
    const fromSolutions = specifiers(readFileSync(path.join(root, file), 'utf8')).filter((specifier) =>
      path.resolve(path.dirname(path.join(root, file)), specifier).startsWith(path.join(root, 'solutions') + path.sep),
    );
    expect(fromSolutions, `${file} imports the answer; move what it needs into provided/`).toEqual([]);
  });
});
