/**
 * The learner's loop: one exercise at a time, hints for the exercise that
 * fails, type errors shown, a done message that says what it checked, and
 * output that reads well in a pipe.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { findExercise, findLesson, lessons, withFiles, type LessonEntry } from '../../manifest.js';
import { coreTime } from '../../scripts/lib/lesson-table.js';
import { bufferSummary, describeDiff, explainTimeout, focusExercise, printLessonReport, type ExerciseResult } from '../../scripts/lib/report.js';
import { fileFingerprints, mergeRun } from '../../scripts/lib/state.js';
import { lessonErrors, parseTscOutput } from '../../scripts/lib/typecheck.js';
import { plain } from '../../scripts/lib/ui.js';
import { root } from '../../scripts/lib/vitest-config.js';

const entry = (exercises: Array<[string, number]>, parts?: LessonEntry['parts']): LessonEntry => ({
  number: 42,
  slug: '42-example',
  title: 'An example',
  sections: ['1.1'],
  backend: 'redis',
  exercises: exercises.map(([file]) => ({ file, hints: ['a nudge, long enough', 'nearly the answer, in words'] })),
  parts,
});
const example = withFiles([entry([['a.ts', 10], ['b-c.ts', 20], ['d.ts', 30]], [{ title: 'One', files: ['a.ts', 'b-c.ts'] }, { title: 'Two', files: ['d.ts'] }])])[0]!;
const plainLesson = withFiles([entry([['a.ts', 10], ['b-c.ts', 20]])])[0]!;

describe('the manifest, read by the runner', () => {
  it('finds an exercise by its name, its file name or its number within the lesson', () => {
    expect(findExercise(example, 'b-c')?.file).toBe('b-c.ts');
    expect(findExercise(example, 'b-c.ts')?.file).toBe('b-c.ts');
    expect(findExercise(example, '3')?.file).toBe('d.ts');
    expect(findExercise(example, '4')).toBeUndefined();
    expect(findExercise(example, 'nope')).toBeUndefined();
  });

  it('makes a lesson without parts one part, and writes its time with the parts it has', () => {
    expect(plainLesson.parts).toEqual([{ title: 'An example', files: ['a.ts', 'b-c.ts'] }]);
    expect(coreTime({ coreMinutes: 30, parts: [{ title: 'An example', files: [], coreMinutes: 30, deepMinutes: 5 }] })).toBe('30 min');
    const two = [{ title: 'One', files: [], coreMinutes: 30, deepMinutes: 0 }, { title: 'Two', files: [], coreMinutes: 30, deepMinutes: 0 }];
    expect(coreTime({ coreMinutes: 60, parts: two })).toBe('60 min in 2 parts (30 + 30)');
  });
});

describe('progress, exercise by exercise', () => {
  const fingerprints = { 'a.ts': 'A1', 'b-c.ts': 'B1' };
  const run = (file: string, passed: number, total: number) => ({ file, passed, total, failed: passed < total });

  it('keeps the other exercises when one exercise runs, and is done only when every exercise passed', () => {
    const first = mergeRun(undefined, plainLesson, [run('a.ts', 3, 3)], fingerprints, 't1');
    expect(first.status).toBe('started');
    const second = mergeRun(first, plainLesson, [run('b-c.ts', 2, 2)], fingerprints, 't2');
    expect(second).toMatchObject({ status: 'done', passed: 5, total: 5 });
    expect(Object.keys(second.exercises!)).toEqual(['a.ts', 'b-c.ts']);
  });

  it('does not count an exercise whose file changed since it passed', () => {
    const both = mergeRun(undefined, plainLesson, [run('a.ts', 3, 3), run('b-c.ts', 2, 2)], fingerprints, 't1');
    const edited = mergeRun(both, plainLesson, [], { ...fingerprints, 'a.ts': 'A2' }, 't2');
    expect(edited.status).toBe('started');
  });

  it('does not call a run with type errors done, even when every spec passed', () => {
    const typeErrors = mergeRun(undefined, plainLesson, [{ file: 'a.ts', passed: 3, total: 3, failed: true }, run('b-c.ts', 2, 2)], fingerprints, 't');
    expect(typeErrors.status).toBe('started');
  });
});

describe('the report', () => {
  const result = (file: string, passed: number, failed: number): ExerciseResult => ({ file, passed, failed, skipped: [], tests: [], errors: [] });

  it('shows the exercise just saved when it fails, else the first that fails', () => {
    const exercises = [result('a.ts', 1, 0), result('b-c.ts', 0, 2), result('d.ts', 0, 1)];
    expect(focusExercise(exercises, 'd.ts')?.file).toBe('d.ts');
    expect(focusExercise(exercises, 'a.ts')?.file).toBe('b-c.ts');
    expect(focusExercise(exercises)?.file).toBe('b-c.ts');
  });

  function printed(...args: Parameters<typeof printLessonReport>): string {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    printLessonReport(...args);
    const text = log.mock.calls.map((c) => c.join(' ')).join('\n');
    log.mockRestore();
    return plain(text, false);
  }

  it('names the hint command for the exercise it shows', () => {
    const text = printed(example, 'lessons', 'mock', [result('a.ts', 1, 0), result('b-c.ts', 0, 2)], { onMock: true });
    expect(text).toContain('npm run hint 42 b-c');
  });

  it('says a lesson is done on the mock, names the specs that need a real Redis, and offers the depth', () => {
    const skipped = { name: 'counts X [skipped on ioredis-mock: why; run with --redis real]', state: 'skipped' as const };
    const state = { done: true, deepSpecs: 12, deepLeft: 12 };
    const text = printed(plainLesson, 'lessons', 'mock', [{ ...result('a.ts', 3, 0), skipped: [skipped], tests: [skipped] }, result('b-c.ts', 2, 0)], { onMock: true, lessonState: state });
    expect(text).toContain('Lesson 42 is done: every core spec passes on ioredis-mock');
    expect(text).toContain('1 spec needs a real Redis and was skipped');
    expect(text).toContain('npm run lesson 42 -- --redis real');
    expect(text).toContain('12 deep specs');
    expect(text).toContain('npm run lesson 42 -- --deep');
  });

  it('after one exercise, says the lesson is done only when the record of every exercise on the current files says so', () => {
    const one = printed(plainLesson, 'lessons', 'mock', [result('a.ts', 3, 0)], { onMock: true, scope: 'exercise 1 of 2', lessonState: { next: 'b-c.ts', done: false, deepSpecs: 0, deepLeft: 0 } });
    expect(one).toContain('Exercise 1 of 2 of lesson 42 passes its core');
    expect(one).not.toContain('is done');
    expect(one).toContain('Next: npm run lesson 42 b-c');
    const last = printed(plainLesson, 'lessons', 'mock', [result('b-c.ts', 2, 0)], { onMock: true, scope: 'exercise 2 of 2', lessonState: { done: true, deepSpecs: 0, deepLeft: 0 } });
    expect(last).toContain('the lesson is done');
    expect(last).not.toContain('Next:');
  });

  it('says which exercises it did not run because their files are still as shipped', () => {
    const text = printed(example, 'lessons', 'mock', [result('a.ts', 0, 3)], { onMock: true, notStarted: ['b-c.ts', 'd.ts'] });
    expect(text).toMatch(/✗ a\.ts\s+0\/3 passing/);
    expect(text).toMatch(/· b-c\.ts\s+not started: still as shipped \(red by design\), its specs run once you edit it/);
    expect(text).toMatch(/· d\.ts\s+not started/);
  });

  it('shows the first failing deep spec once the core passes, and calls the depth optional', () => {
    const failing = { name: 'refuses NaN', state: 'failed' as const, error: { message: 'expected a RangeError' } };
    const deep = { passed: 1, failed: 1, skipped: [], tests: [{ name: 'keeps 0', state: 'passed' as const }, failing], errors: [] };
    const text = printed(plainLesson, 'lessons', 'mock', [{ ...result('a.ts', 3, 0), deep }, result('b-c.ts', 2, 0)], { onMock: true, deep: true });
    expect(text).toMatch(/a\.ts\s+3\/3 passing\s+1\/2 deep/);
    expect(text).toContain('a.ts (deep):');
    expect(text).toContain('✗ refuses NaN');
    expect(text).toContain('The core passes.');
    expect(text).not.toContain('done');
  });

  it('puts type errors above the results, and does not say "well done" while there are any', () => {
    const typeErrors = [{ file: 'lessons/42-example/a.ts', line: 3, column: 5, code: 'TS2554', message: 'Expected 2 arguments, but got 1.' }];
    const text = printed(plainLesson, 'lessons', 'mock', [result('a.ts', 3, 0), result('b-c.ts', 2, 0)], { onMock: true, typeErrors });
    expect(text.indexOf('Type errors in your files (1)')).toBeGreaterThan(-1);
    expect(text.indexOf('Type errors in your files')).toBeLessThan(text.search(/a\.ts\s+3\/3/));
    expect(text).toContain('lessons/42-example/a.ts:3:5');
    expect(text).not.toContain('Well done');
  });
});

describe("the learner's type errors", () => {
  const output = [
    "lessons/03-redis-caching/json-cache.ts(17,3): error TS2554: Expected 2 arguments, but got 1.",
    "lessons/01-memoization/cache-key.ts(13,14): error TS2322: Type 'string' is not assignable to type 'number'.",
    "test/03-redis-caching/codecs.spec.ts(9,1): error TS2345: Argument of type 'number' is not assignable to parameter of type 'string'.",
    '  Type number is not assignable to type string.',
  ].join('\n');

  it("keeps only the lesson's own files, the learner's first", () => {
    const errors = lessonErrors(findLesson(3)!, parseTscOutput(output));
    expect(errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.code}`)).toEqual([
      'lessons/03-redis-caching/json-cache.ts:17:3 TS2554',
      'test/03-redis-caching/codecs.spec.ts:9:1 TS2345',
    ]);
    expect(errors[1]!.message).toContain('Type number is not assignable');
  });
});

describe('a spec that timed out', () => {
  it("explains it instead of vitest's advice to pass a longer timeout", () => {
    const text = explainTimeout('Test timed out in 10000ms.\nIf this is a long-running test, pass a timeout value as the last argument or configure it globally with "testTimeout".');
    expect(text).toContain('waited 10 s for your code, which never finished');
    expect(text).not.toContain('pass a timeout value');
    expect(explainTimeout('expected 1 to be 2')).toBe('expected 1 to be 2');
  });
});

describe('diffs', () => {
  const serialise = (bytes: Buffer) => `{\n  "data": [\n${[...bytes].map((b) => `    ${b},`).join('\n')}\n  ],\n  "type": "Buffer",\n}`;

  it('sums up two Buffers that differ in a few lines: the sizes and the first byte that differs', () => {
    const summary = plain(bufferSummary(serialise(Buffer.from('hello buffer')), serialise(Buffer.from('hello bufxer')))!, false);
    expect(summary.split('\n')).toHaveLength(3);
    expect(summary).toContain('expected 12 bytes, received 12; first difference at byte 9: expected 0x78, received 0x66');
    expect(summary).toContain('bufxer"');
    expect(summary).toContain('buffer"');
  });

  it('says when one Buffer is a prefix of the other', () => {
    expect(bufferSummary(serialise(Buffer.from('ab')), serialise(Buffer.from('abc')))).toContain('received nothing (it ends there)');
  });

  it('leaves other diffs alone, without colour codes when colour is off, and cut at 30 lines', () => {
    const coloured = '\x1b[32m- Expected\x1b[39m\n\x1b[31m+ Received\x1b[39m';
    expect(plain(coloured, false)).toBe('- Expected\n+ Received');
    expect(plain(coloured, true)).toBe(coloured);
    const long = Array.from({ length: 50 }, (_, i) => `  line ${i}`).join('\n');
    const shown = plain(describeDiff({ diff: long })!, false).split('\n');
    expect(shown).toHaveLength(31);
    expect(shown.at(-1)).toContain('20 more lines of diff');
  });
});

describe('the commands, as a learner runs them', () => {
  const exec = promisify(execFile);
  const state = mkdtempSync(path.join(tmpdir(), 'cachelings-state-'));
  afterAll(() => rmSync(state, { recursive: true, force: true }));
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CACHELINGS_STATE_DIR: state };
  // As package.json starts them: spec-running commands through scripts/run.mjs, the others through tsx.
  const run = async (command: string, ...args: string[]) => {
    const start = command === 'hint' ? ['--import', 'tsx', 'scripts/hint.ts'] : ['scripts/run.mjs', command];
    try {
      const { stdout } = await exec(process.execPath, [...start, ...args], { cwd: root, env });
      return { code: 0, stdout };
    } catch (error) {
      const e = error as { code: number; stdout: string };
      return { code: e.code, stdout: e.stdout };
    }
  };

  it('npm run lesson 1 memoize runs that exercise only, in plain text when piped', { timeout: 60_000 }, async () => {
    const { code, stdout } = await run('lesson', '1', 'memoize');
    expect(code).toBe(1);
    expect(stdout).toContain(`exercise 2 of ${findLesson(1)!.files.length}`);
    expect(stdout).toMatch(/✗ memoize\.ts\s+\d+\/\d+ passing/);
    expect(stdout).not.toContain('cache-key.ts');
    expect(stdout).toContain('npm run hint 1 memoize');
    expect(stdout).not.toContain('\x1b[');
  });

  it('npm run hint 1 gives the nudge for the first exercise that fails, and says which', { timeout: 60_000 }, async () => {
    const lesson = findLesson(1)!;
    const fingerprints = fileFingerprints(lesson);
    // The last run: cache-key passed, memoize failed.
    const record = mergeRun(undefined, lesson, lesson.files.map((file, i) => ({ file, passed: i === 0 ? 5 : 0, total: 5, failed: i !== 0 })), fingerprints, 'now');
    writeFileSync(path.join(state, 'progress.json'), JSON.stringify({ [lesson.slug]: record }));
    const first = await run('hint', '1');
    expect(first.stdout).toContain('Hint 1 of 3 for memoize.ts (the first exercise that fails)');
    expect(first.stdout).toContain(lesson.exercises[1]!.hints[0]);
    const second = await run('hint', '1');
    expect(second.stdout).toContain(lesson.exercises[1]!.hints[1]);
    const chosen = await run('hint', '1', 'lru-cache', '3');
    expect(chosen.stdout).toContain(lesson.exercises.find((e) => e.file === 'lru-cache.ts')!.hints[2]);
    expect(chosen.stdout).toContain('That was the last hint for lru-cache.ts');
  });
});

it('every lesson of the manifest can be found by number and by slug', () => {
  for (const lesson of lessons) {
    expect(findLesson(lesson.number)).toBe(lesson);
    expect(findLesson(lesson.slug)).toBe(lesson);
  }
});
