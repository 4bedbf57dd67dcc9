/**
 * The lesson table's times are measured, not guessed (scripts/lib/sizes.ts):
 * these specs keep the measurement honest and every slot within its limits.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lessons, withFiles } from '../../manifest.js';
import { codeLineNumbers } from '../../scripts/lib/code-lines.js';
import { countWords, readLesson } from '../../scripts/lib/readme-sections.js';
import { isFresh, lessonSize, limits, readMeasured, unrunLines } from '../../scripts/lib/sizes.js';
import { root } from '../../scripts/lib/vitest-config.js';

const measured = readMeasured();

describe('sizes.json and the lesson table', () => {
  it.each(lessons)('lesson $number was measured on its files as they are (npm run readme:table measures it again)', (lesson) => {
    expect(isFresh(lesson, measured), `sizes.json is stale for lesson ${lesson.number}: run npm run readme:table and commit sizes.json and README.md`).toBe(true);
  });

  it.each(lessons)('lesson $number: every exercise has core specs, asks at most 40 new code lines for its core, and every part fits a 45-minute slot', (lesson) => {
    const size = lessonSize(lesson, measured);
    for (const e of size.exercises) {
      expect(e.coreSpecs, `${e.file} has no core spec`).toBeGreaterThan(0);
      expect(e.coreLines, `${e.file}'s core asks for ${e.coreLines} lines: move depth to its deep spec, or split it into steps`).toBeLessThanOrEqual(limits.coreLines);
    }
    for (const p of size.parts) {
      expect(p.coreMinutes, `part "${p.title}" of lesson ${lesson.number} is ${p.coreMinutes} core minutes`).toBeLessThanOrEqual(limits.partMinutes);
    }
  });

  it.each(lessons)('lesson $number: its README has one section per exercise, each ending with its contract', (lesson) => {
    const readme = readFileSync(path.join(root, 'lessons', lesson.slug, 'README.md'), 'utf8');
    expect(readLesson(lesson, readme).problems).toEqual([]);
  });
});

describe('what the formula counts', () => {
  it('counts code lines, not comments, blank lines or comment markers inside strings and regexes', () => {
    const source = [
      '/**',
      ' * a doc comment',
      ' */',
      "const glob = 'users:' + '*/' + 'x'; // a glob with */ in it",
      '',
      '// a comment',
      'const re = /\\/\\*/; /* inline */',
      'const t = `a',
      '// still the template',
      '${1 + 1}`;',
      '/* block',
      '   comment */ const after = 1;',
    ].join('\n');
    expect([...codeLineNumbers(source)]).toEqual([4, 7, 8, 9, 10, 12]);
  });

  it('counts the words a reader reads: prose and code, not link targets or markup', () => {
    expect(countWords('# Title\n\nSee [the docs](https://example.com/a/b) and `SET key`.\n\n```ts\nconst x = 1;\n```')).toBe(10);
  });

  it('reads a README the formula way: the introduction goes to the first exercise, Deeper parts are deep, each section ends with its contract', () => {
    const lesson = withFiles([{ number: 42, slug: '42-x', title: 'X', sections: [], backend: 'none', exercises: [{ file: 'a.ts', hints: [] }, { file: 'b.ts', hints: [] }] }])[0]!;
    const readme = [
      '# Lesson 42: X', 'one two three', // 6 words
      '## 1. A (`a.ts`)', 'four five', '### Deeper: corners', 'six seven eight', '### Contract', 'nine',
      '## Deeper: more', 'ten eleven',
      '## 2. B (`b.ts`)', 'twelve', '### Contract', 'thirteen',
    ].join('\n');
    const reading = readLesson(lesson, readme);
    expect(reading.problems).toEqual([]);
    expect(reading.exercises['a.ts']).toEqual({ core: 6 + 5 + 2, deep: 5 + 4, contract: 'last' });
    expect(reading.exercises['b.ts']).toEqual({ core: 4 + 2, deep: 0, contract: 'last' });
    const broken = readLesson(lesson, '# L\n## 1. A (`a.ts`)\n### Contract\nx\n### Deeper: y\n## Run it\n');
    expect(broken.problems.join('\n')).toMatch(/does not end with its "### Contract"/);
    expect(broken.problems.join('\n')).toMatch(/"## Run it" comes after the first exercise section/);
    expect(broken.problems.join('\n')).toMatch(/no section for `b\.ts`/);
  });

  it('calls a line unrun when it lies in a range that ran 0 times and nothing that ran starts on it', () => {
    const source = ['function f(x) {', '  if (x) {', '    return 1;', '  }', '  return 2;', '}'].join('\n');
    const coverage = {
      statementMap: { 0: { start: { line: 2 }, end: { line: 4 } }, 1: { start: { line: 3 }, end: { line: 3 } }, 2: { start: { line: 5 }, end: { line: 5 } } },
      s: { 0: 4, 1: 0, 2: 4 },
      fnMap: { 0: { loc: { start: { line: 1 }, end: { line: 6 } }, decl: { start: { line: 1 }, end: { line: 1 } } } },
      f: { 0: 4 },
      branchMap: { 0: { locations: [{ start: { line: 2 }, end: { line: 4 } }, { start: {}, end: {} }] } },
      b: { 0: [0, 4] },
    };
    expect([...unrunLines(source, coverage)]).toEqual([3, 4]);
    expect(unrunLines(source, undefined).size).toBe(6);
  });
});
