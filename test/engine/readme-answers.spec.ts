/**
 * A lesson README teaches; it does not hand out the answer. A learner reads the
 * README first, as the runner tells them to: a code block there that holds the
 * reference's body gets copied, the specs go green, and nothing is learned.
 * Signatures, types, the source's own code and other worked examples are fine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeBlocks, normalise, sharedRuns } from '../../scripts/lib/readme-answers.js';
import { root } from '../../scripts/lib/vitest-config.js';

const lessonDirs = readdirSync(path.join(root, 'lessons'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

/** Every .ts file under solutions/, relative to the repository. */
function solutionFiles(dir = 'solutions'): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? solutionFiles(`${dir}/${d.name}`) : d.name.endsWith('.ts') ? [`${dir}/${d.name}`] : [],
  );
}
const solutions = solutionFiles().map((file) => ({ file, text: readFileSync(path.join(root, file), 'utf8') }));

describe('lesson READMEs keep the answers in solutions/', () => {
  it.each(lessonDirs)('lessons/%s/README.md has no code block sharing 4+ consecutive lines with a solution', (dir) => {
    const readme = `lessons/${dir}/README.md`;
    const findings: string[] = [];
    codeBlocks(readFileSync(path.join(root, readme), 'utf8')).forEach((block, index) => {
      for (const solution of solutions) {
        for (const run of sharedRuns(block, solution.text)) {
          findings.push(
            `${readme} block ${index + 1} (\`\`\`${block.lang}, lines ${run.readmeLines.join('-')}) repeats ` +
              `${solution.file} lines ${run.solutionLines.join('-')} (${run.length} lines): ` +
              'teach the idea, show the signature, or work a different example; the body belongs in solutions/ and the last hint',
          );
        }
      }
    });
    expect(findings, findings.join('\n')).toEqual([]);
  });
});

describe('the answer finder itself', () => {
  const solution = [
    'export function add(a: number, b: number): number {',
    '  // add them up',
    '  const sum = a + b;',
    '  if (Number.isNaN(sum)) {',
    "    throw new RangeError('NaN');",
    '  }',
    '  return sum;',
    '}',
  ].join('\n');
  const block = (text: string) => codeBlocks(`# t\n\n\`\`\`ts\n${text}\n\`\`\`\n`)[0]!;

  it('finds a copy that differs only in whitespace, comments and braces', () => {
    const copy = block(
      [
        'export function add(a: number,b: number): number {',
        'const sum = a + b; // the sum',
        'if (Number.isNaN(sum)) { ',
        "        throw new RangeError('NaN');",
        '}',
      ].join('\n'),
    );
    expect(sharedRuns(copy, solution)).toEqual([{ readmeLines: [4, 7], solutionLines: [1, 5], length: 4 }]);
  });

  it('finds a copy squeezed onto fewer lines (each statement counts as a line)', () => {
    const squeezed = block("const sum = a + b; if (Number.isNaN(sum)) { throw new RangeError('NaN'); }\nreturn sum;");
    expect(sharedRuns(squeezed, solution)).toEqual([{ readmeLines: [4, 5], solutionLines: [3, 7], length: 4 }]);
  });

  it('lets 3 shared lines through (a signature and a line or two are teaching, not the answer)', () => {
    const three = block(['export function add(a: number, b: number): number {', '  const sum = a + b;', '  return sum;', '}'].join('\n'));
    expect(sharedRuns(three, solution)).toEqual([]);
  });

  it('counts neither comments nor lone braces as lines', () => {
    expect(normalise('  // a comment')).toBeNull();
    expect(normalise('  });')).toBeNull();
    expect(normalise(' * JSDoc')).toBeNull();
    expect(normalise("  const url = 'redis://localhost'; // where")).toBe("consturl='redis://localhost';");
  });
});
