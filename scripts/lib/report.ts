/** The calm summary of a lesson run: one line per exercise, the first failure in full, where to look next. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestError } from 'vitest';
import { specFor, type Lesson } from '../../manifest.js';
import type { SpecResult, TestOutcome } from './run-specs.js';
import { bold, cyan, dim, green, mark, red, yellow } from './ui.js';
import { root, type Target } from './vitest-config.js';

export interface ExerciseResult {
  file: string;
  passed: number;
  failed: number;
  skipped: TestOutcome[];
  tests: TestOutcome[];
  /** Errors outside tests (a syntax error, a failing import), or a spec that never ran. */
  errors: TestError[];
}

/** Groups the results of a run by the lesson's files, in the manifest's order. */
export function exercisesOf(lesson: Lesson, results: SpecResult[]): ExerciseResult[] {
  return lesson.files.map((file) => {
    const spec = specFor(lesson, file);
    const result = results.find((r) => r.spec === spec);
    const tests = result?.tests ?? [];
    const errors = result ? result.errors : [{ message: `${spec} did not run` } as TestError];
    return {
      file,
      tests,
      passed: tests.filter((t) => t.state === 'passed').length,
      failed: tests.filter((t) => t.state === 'failed').length + errors.length,
      skipped: tests.filter((t) => t.state === 'skipped'),
      errors,
    };
  });
}

export function printLessonReport(lesson: Lesson, target: Target, backendLabel: string, exercises: ExerciseResult[]): void {
  const folder = `${target}/${lesson.slug}/`;
  console.log('');
  console.log(`${bold(`Lesson ${lesson.number}: ${lesson.title}`)} ${dim(lesson.sections.length > 0 ? `(source ${lesson.sections.join(', ')})` : '(beyond the source)')}`);
  console.log(dim(`${folder} · backend: ${backendLabel}`));
  console.log('');

  const width = Math.max(...exercises.map((e) => e.file.length));
  for (const ex of exercises) {
    const total = ex.passed + ex.failed;
    const state = ex.failed === 0 ? mark.pass : mark.fail;
    const count = ex.failed === 0 ? green(`${ex.passed}/${total}`) : `${ex.passed}/${total}`;
    const skipped = ex.skipped.length > 0 ? yellow(` (${ex.skipped.length} skipped)`) : '';
    console.log(`  ${state} ${ex.file.padEnd(width)}  ${count} passing${skipped}`);
  }

  const current = exercises.find((e) => e.failed > 0);
  if (current) printCurrentExercise(lesson, target, current);

  const skipped = exercises.flatMap((e) => e.skipped);
  if (skipped.length > 0) {
    console.log('');
    console.log(yellow(`Skipped (${skipped.length}); each says why and what runs it:`));
    for (const t of skipped) console.log(`  ${mark.skip} ${t.name}`);
    const cluster = skipped.filter((t) => /cluster/i.test(t.name) && t.name.includes('--redis real'));
    if (cluster.length > 0) {
      const command = target === 'lessons' ? 'lesson' : 'solution';
      console.log(yellow(`${cluster.length} of them need a real Redis Cluster: ${cyan('npm run redis:up')}, then ${cyan(`npm run ${command} ${lesson.number} -- --redis real`)}`));
    }
  }

  console.log('');
  if (!current) {
    if (target === 'lessons') {
      console.log(green(bold(`Lesson ${lesson.number} passes. Well done!`)));
      console.log(`Compare with the reference in solutions/${lesson.slug}/, then go on: ${cyan('npm run progress')}`);
    } else {
      console.log(green(`The reference solution of lesson ${lesson.number} passes.`));
    }
    return;
  }
  const fix = target === 'lessons' ? `Edit ${folder}${current.file}` : `The reference ${folder}${current.file} fails`;
  console.log(`${fix} · read ${cyan(`lessons/${lesson.slug}/README.md`)} · stuck? ${cyan(`npm run hint ${lesson.number}`)}`);
}

/** Every test of the first unfinished exercise, then its first failure in full. */
function printCurrentExercise(lesson: Lesson, target: Target, ex: ExerciseResult): void {
  console.log('');
  console.log(bold(`${ex.file}:`));
  for (const t of ex.tests) {
    const m = t.state === 'passed' ? mark.pass : t.state === 'failed' ? mark.fail : mark.skip;
    console.log(`  ${m} ${t.state === 'failed' ? t.name : dim(t.name)}`);
  }
  const failing = ex.tests.find((t) => t.state === 'failed');
  const error = ex.errors[0] ?? failing?.error;
  if (!error) return;
  console.log('');
  console.log(red(bold(failing && !ex.errors[0] ? `✗ ${failing.name}` : `✗ ${specFor(lesson, ex.file)} could not run`)));
  console.log('');
  printError(error, target);
}

function printError(error: TestError, target: Target): void {
  const head = `${error.name && error.name !== 'Error' ? `${error.name}: ` : ''}${error.message}`;
  console.log(indent(head.trim()));
  if (error.diff) {
    console.log('');
    console.log(indent(error.diff.trim()));
  }
  // Show where it happened: the learner's line first, then the spec's.
  const frames = (error.stacks ?? []).filter((f) => !f.file.includes('node_modules'));
  const own = frames.find((f) => f.file.includes(`/${target}/`));
  const spec = frames.find((f) => f.file.includes('/test/'));
  for (const frame of [own, spec]) {
    if (!frame) continue;
    console.log('');
    console.log(indent(dim(`at ${path.relative(root, frame.file)}:${frame.line}:${frame.column}`)));
    const excerpt = codeFrame(frame.file, frame.line);
    if (excerpt) console.log(indent(excerpt));
  }
}

function codeFrame(file: string, line: number): string | null {
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split('\n');
  const from = Math.max(0, line - 3);
  return lines
    .slice(from, line + 1)
    .map((text, i) => {
      const n = from + i + 1;
      const gutter = `${n === line ? red('>') : ' '} ${String(n).padStart(4)} | `;
      return `${gutter}${n === line ? text : dim(text)}`;
    })
    .join('\n');
}

const indent = (text: string) => text.replace(/^/gm, '  ');
