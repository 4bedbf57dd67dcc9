/** The calm summary of a lesson run: one line per exercise, the first failure in full, where to look next. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestError } from 'vitest';
import { deepSpecFor, exerciseName, specFor, type Lesson } from '../../manifest.js';
import type { SpecResult, TestOutcome } from './run-specs.js';
import type { TypeDiagnostic } from './typecheck.js';
import { bold, cyan, dim, green, mark, plain, red, yellow } from './ui.js';
import { root, type Target } from './vitest-config.js';

/** What one spec file of an exercise (its core, or its deep tier) found. */
export interface TierResult {
  passed: number;
  failed: number;
  skipped: TestOutcome[];
  tests: TestOutcome[];
  /** Errors outside tests (a syntax error, a failing import), or a spec that never ran. */
  errors: TestError[];
}

/** One exercise's results: its core spec, and its deep spec when that ran (`--deep`). */
export interface ExerciseResult extends TierResult {
  file: string;
  deep?: TierResult;
}

function tierResult(spec: string, result: SpecResult | undefined): TierResult {
  const tests = result?.tests ?? [];
  const errors = result ? result.errors : [{ message: `${spec} did not run` } as TestError];
  return {
    tests,
    passed: tests.filter((t) => t.state === 'passed').length,
    failed: tests.filter((t) => t.state === 'failed').length + errors.length,
    skipped: tests.filter((t) => t.state === 'skipped'),
    errors,
  };
}

/**
 * Groups the results of a run by the given files of the lesson (all of them by
 * default), in the manifest's order: each exercise's core, and its deep tier
 * where the run included it.
 */
export function exercisesOf(lesson: Lesson, results: SpecResult[], files = lesson.files): ExerciseResult[] {
  return files.map((file) => {
    const core = tierResult(specFor(lesson, file), results.find((r) => r.spec === specFor(lesson, file)));
    const deepRun = results.find((r) => r.spec === deepSpecFor(lesson, file));
    return { file, ...core, deep: deepRun ? tierResult(deepSpecFor(lesson, file), deepRun) : undefined };
  });
}

/** The exercise to show in full: the one just saved if it fails, else the first that fails. */
export function focusExercise<T extends { file: string; failed: number }>(exercises: T[], saved?: string): T | undefined {
  return exercises.find((e) => e.file === saved && e.failed > 0) ?? exercises.find((e) => e.failed > 0);
}

export interface ReportOptions {
  /** The learner's type errors in this lesson (lessons/ only), or null when tsc could not run. */
  typeErrors?: TypeDiagnostic[] | null;
  /** The exercise file saved last (watch mode): shown in full first. */
  saved?: string;
  /** What was run, when not the whole lesson: "exercise 3 of 5" or "part 2 of 2: …". */
  scope?: string;
  /** Whether the specs ran on ioredis-mock (real-Redis-only specs were skipped). */
  onMock: boolean;
  /** Whether the run included the deep tier (`--deep`). */
  deep?: boolean;
  /**
   * The lesson as the learner's record knows it after this run, from results
   * on the files as they are now (never an older run's): which exercises'
   * cores pass, and the deep specs of the lesson. Absent for the reference.
   */
  lessonState?: LessonState;
  /** Core minutes of each part, for the line that lists them (from the measured sizes). */
  partMinutes?: number[];
  /** Exercises not run because their files are still the starters as shipped (they fail their core by construction). */
  notStarted?: string[];
}

/** What the record says of the whole lesson, after this run. */
export interface LessonState {
  /** The first exercise, in lesson order, whose core is not known to pass on the current files. */
  next?: string;
  /** Every exercise's core passed on the current files. */
  done: boolean;
  /** Deep specs of the lesson in all (as measured), and how many of them the last deep runs on the current files saw fail or did not run. */
  deepSpecs: number;
  deepLeft: number;
}

export function printLessonReport(lesson: Lesson, target: Target, backendLabel: string, exercises: ExerciseResult[], options: ReportOptions): void {
  const folder = `${target}/${lesson.slug}/`;
  console.log('');
  console.log(`${bold(`Lesson ${lesson.number}: ${lesson.title}`)} ${dim(lesson.sections.length > 0 ? `(source ${lesson.sections.join(', ')})` : '(beyond the source)')}`);
  console.log(dim(`${folder}${options.scope ? ` · ${options.scope}` : ''}${options.deep ? ' · core and deep specs' : ''} · backend: ${backendLabel}`));
  if (!options.scope && lesson.parts.length > 1) {
    const parts = lesson.parts.map((p, i) => `part ${i + 1}: ${p.files.map(exerciseName).join(', ')}${options.partMinutes ? ` (${options.partMinutes[i]} min)` : ''}`);
    console.log(dim(`${lesson.parts.length} parts, one slot each (npm run lesson ${lesson.number} -- --part N): ${parts.join('; ')}`));
  }

  const gone = exercises.filter((e) => isMissing(target, lesson, e.file)).map((e) => e.file);
  for (const file of gone) console.log(`\n${red(bold(`✗ ${target}/${lesson.slug}/${file} is missing`))} ${dim('(deleted or renamed?): its spec cannot load it.')}\n  ${restore(target, lesson, file)}`);

  const typeErrors = options.typeErrors ?? [];
  if (typeErrors.length > 0) printTypeErrors(typeErrors);
  console.log('');

  const notStarted = options.notStarted ?? [];
  const width = Math.max(...exercises.map((e) => e.file.length), ...notStarted.map((f) => f.length));
  const shown = lesson.files.filter((f) => exercises.some((e) => e.file === f) || notStarted.includes(f));
  for (const file of shown) {
    const ex = exercises.find((e) => e.file === file);
    if (!ex) {
      console.log(`  ${mark.todo} ${file.padEnd(width)}  ${dim('not started: still as shipped (red by design), its specs run once you edit it')}`);
      continue;
    }
    const total = ex.passed + ex.failed;
    const state = ex.failed === 0 ? mark.pass : mark.fail;
    const count = ex.failed === 0 ? green(`${ex.passed}/${total}`) : `${ex.passed}/${total}`;
    const skipped = ex.skipped.length > 0 ? yellow(` (${ex.skipped.length} skipped)`) : '';
    let deep = '';
    if (ex.deep) {
      const deepTotal = ex.deep.passed + ex.deep.failed;
      const deepCount = `${ex.deep.passed}/${deepTotal} deep`;
      deep = `  ${ex.deep.failed === 0 ? green(deepCount) : deepCount}${ex.deep.skipped.length > 0 ? yellow(` (${ex.deep.skipped.length} skipped)`) : ''}`;
    }
    console.log(`  ${state} ${ex.file.padEnd(width)}  ${gone.includes(ex.file) ? red('missing') : `${count} passing`}${skipped}${deep}`);
  }

  const coreFocus = focusExercise(exercises, options.saved);
  const deepFocus = coreFocus ? undefined : focusExercise(exercises.flatMap((e) => (e.deep ? [{ ...e.deep, file: e.file }] : [])), options.saved);
  if (coreFocus) printCurrentExercise(lesson, target, coreFocus, 'core');
  else if (deepFocus) printCurrentExercise(lesson, target, deepFocus, 'deep');

  const skipped = exercises.flatMap((e) => [...e.skipped, ...(e.deep?.skipped ?? [])]);
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
  const which = options.scope ? `${options.scope} of lesson ${lesson.number}` : `Lesson ${lesson.number}`;
  const hint = (file: string) => `stuck? ${cyan(`npm run hint ${lesson.number} ${exerciseName(file)}`)}`;
  if (coreFocus && gone.includes(coreFocus.file)) {
    console.log(restore(target, lesson, coreFocus.file));
    return;
  }
  if (coreFocus) {
    const fix = target === 'lessons' ? `Edit ${folder}${coreFocus.file}` : `The reference ${folder}${coreFocus.file} fails`;
    console.log(`${fix} · read ${cyan(`lessons/${lesson.slug}/README.md`)} · ${hint(coreFocus.file)}`);
    return;
  }
  if (typeErrors.length > 0) {
    console.log(yellow(bold(`${capitalise(which)} passes its specs, but your files have ${typeErrors.length} type error${typeErrors.length === 1 ? '' : 's'} (above).`)));
    console.log('The specs run with types stripped; the types are part of the exercise. Fix them, then run it again.');
    return;
  }
  if (target === 'solutions') {
    console.log(green(`The reference solution of ${which.replace(/^Lesson/, 'lesson')} passes${options.deep ? ', core and deep' : ' its core (-- --deep for the rest)'}.`));
    return;
  }
  const needsServer = skipped.filter((t) => /--redis real/.test(t.name)).length;
  const serverNote = () => {
    if (options.onMock && needsServer > 0) {
      console.log(
        `${needsServer} spec${needsServer === 1 ? '' : 's'} need${needsServer === 1 ? 's' : ''} a real Redis and ${needsServer === 1 ? 'was' : 'were'} skipped (listed above): ${cyan(`npm run lesson ${lesson.number} -- --redis real${options.deep ? ' --deep' : ''}`)}`,
      );
    }
  };
  if (deepFocus) {
    console.log(`${green(`The core passes.`)} ${deepFocus.failed} deep spec${deepFocus.failed === 1 ? '' : 's'} of ${deepFocus.file} fail${deepFocus.failed === 1 ? 's' : ''}: the depth is optional, and worth it.`);
    console.log(`Edit ${folder}${deepFocus.file} · read the "Deeper" parts of ${cyan(`lessons/${lesson.slug}/README.md`)}`);
    serverNote();
    return;
  }
  const state = options.lessonState;
  const mock = options.onMock && lesson.backend !== 'none' ? ' on ioredis-mock' : '';
  if (options.scope) {
    console.log(green(bold(`${capitalise(which)} passes${options.deep ? ', core and deep' : ' its core'}${mock}.`)));
    serverNote();
    if (state?.done) console.log(`${green(`Every exercise of lesson ${lesson.number} passes its core on your files as they are now: the lesson is done.`)}`);
    else if (state?.next) console.log(`Next: ${cyan(`npm run lesson ${lesson.number} ${exerciseName(state.next)}`)}`);
    return;
  }
  if (options.deep) {
    console.log(green(bold(`Lesson ${lesson.number} is done, with its depth: every core and deep spec passes${mock}. Well done!`)));
  } else {
    console.log(green(bold(`Lesson ${lesson.number} is done: every core spec passes${mock}. Well done!`)));
  }
  serverNote();
  if (!options.deep && state && state.deepSpecs > 0) {
    console.log(`Depth on request: ${state.deepSpecs} deep specs (hostile inputs, protocol corners, exact messages): ${cyan(`npm run lesson ${lesson.number} -- --deep`)}`);
  }
  console.log(`Compare with the reference in solutions/${lesson.slug}/, then go on: ${cyan('npm run progress')}`);
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** An exercise file that is not there, in a lesson folder that is: deleted or renamed by the learner. */
const isMissing = (target: Target, lesson: Pick<Lesson, 'slug'>, file: string) =>
  existsSync(path.join(root, target, lesson.slug)) && !existsSync(path.join(root, target, lesson.slug, file));

/** How to get a missing file back. */
function restore(target: Target, lesson: Lesson, file: string): string {
  if (target === 'solutions') return `Put it back from git: ${cyan(`git checkout -- solutions/${lesson.slug}/${file}`)}`;
  return `${cyan(`npm run reset ${lesson.number} ${exerciseName(file)}`)} puts back its starter ${dim(`(that file only; npm run reset ${lesson.number} puts back the whole lesson)`)}`;
}

/**
 * Type errors first: a wrong argument count passes specs that run with types
 * stripped. Or after the report ('late'), when tsc finished after the specs.
 */
export function printTypeErrors(errors: TypeDiagnostic[], when: 'first' | 'late' = 'first'): void {
  console.log('');
  console.log(red(bold(`Type errors in your files (${errors.length})${when === 'late' ? ', found after the specs ran' : ''}:`)));
  for (const e of errors.slice(0, 5)) {
    // A learner's file that is not there: the spec's import cannot find it (type errors are the starters' only).
    const [, slug, imported] = /'@kata\/([^/']+)\/([^']+)\.js'/.exec(e.message) ?? [];
    const gone = e.code === 'TS2307' && slug !== undefined && isMissing('lessons', { slug }, `${imported}.ts`);
    const where =
      gone ? dim(` (lessons/${slug}/${imported}.ts is missing)`)
      : e.file.startsWith('test/') ? dim(' (the spec no longer fits your exports)')
      : '';
    console.log('');
    console.log(`  ${e.file}:${e.line}:${e.column}${where}`);
    console.log(indent(`${e.message} ${dim(`(${e.code})`)}`, 4));
    const excerpt = codeFrame(path.join(root, e.file), e.line, 0);
    if (excerpt) console.log(indent(excerpt, 2));
  }
  if (errors.length > 5) console.log(dim(`\n  … and ${errors.length - 5} more (npm run typecheck shows them all)`));
}

/** Every test of the exercise's core (or deep tier) shown, then its first failure in full. */
function printCurrentExercise(lesson: Lesson, target: Target, ex: TierResult & { file: string }, tier: 'core' | 'deep'): void {
  console.log('');
  console.log(bold(`${ex.file}${tier === 'deep' ? ' (deep)' : ''}:`));
  for (const t of ex.tests) {
    const m = t.state === 'passed' ? mark.pass : t.state === 'failed' ? mark.fail : mark.skip;
    console.log(`  ${m} ${t.state === 'failed' ? t.name : dim(t.name)}`);
  }
  const failing = ex.tests.find((t) => t.state === 'failed');
  const error = ex.errors[0] ?? failing?.error;
  if (!error) return;
  console.log('');
  const spec = tier === 'deep' ? deepSpecFor(lesson, ex.file) : specFor(lesson, ex.file);
  console.log(red(bold(failing && !ex.errors[0] ? `✗ ${failing.name}` : `✗ ${spec} could not run`)));
  console.log('');
  printError(error, target);
}

function printError(error: TestError, target: Target): void {
  const head = `${error.name && error.name !== 'Error' ? `${error.name}: ` : ''}${explainTimeout(error.message)}`;
  console.log(indent(plain(head.trim())));
  const diff = describeDiff(error);
  if (diff) {
    console.log('');
    console.log(indent(diff));
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

/**
 * vitest's own words for a spec that timed out advise a longer timeout, which
 * is never the fix here: the kata's specs wait only for what a finished
 * exercise produces at once. Say what it usually means instead.
 */
export function explainTimeout(message: string): string {
  const m = /^Test timed out in (\d+)ms\./.exec(message);
  if (!m) return message;
  return (
    `This spec waited ${Number(m[1]) / 1000} s for your code, which never finished: ` +
    'a promise that never settles (a resolve() never called, an await on an event that never comes, ' +
    'a lock never released), or a callback that is never called. A longer timeout would not help.'
  );
}

const maxDiffLines = 30;

/** The diff to show: two Buffers as a summary of where they differ, any other diff as vitest made it (shortened). */
export function describeDiff(error: Pick<TestError, 'diff' | 'actual' | 'expected'>): string | null {
  const buffers = bufferSummary(error.actual, error.expected);
  if (buffers) return buffers;
  if (!error.diff) return null;
  const lines = plain(error.diff.trim()).split('\n');
  if (lines.length <= maxDiffLines) return lines.join('\n');
  return [...lines.slice(0, maxDiffLines), dim(`… ${lines.length - maxDiffLines} more lines of diff`)].join('\n');
}

/** The bytes of a Buffer as vitest serialises it for a diff ({ "data": [104, …], "type": "Buffer" }), or null. */
function bufferBytes(serialised: unknown): number[] | null {
  if (typeof serialised !== 'string') return null;
  const m = /^\{\s*"data": \[([\d,\s]*)\],\s*"type": "Buffer",?\s*\}$/.exec(serialised.trim());
  if (!m) return null;
  return m[1]!.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
}

/** Two Buffers that differ, in a few lines: their sizes, the first byte that differs, and the bytes around it. */
export function bufferSummary(actual: unknown, expected: unknown): string | null {
  const got = bufferBytes(actual);
  const want = bufferBytes(expected);
  if (!got || !want) return null;
  let at = 0;
  while (at < got.length && at < want.length && got[at] === want[at]) at++;
  const from = Math.max(0, at - 8);
  const around = (bytes: number[]) => {
    const slice = bytes.slice(from, at + 8);
    const hex = slice.map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const text = JSON.stringify(Buffer.from(slice).toString('latin1').replace(/[^\x20-\x7e]/g, '.'));
    return `${from > 0 ? '… ' : ''}${hex}${at + 8 < bytes.length ? ' …' : ''}  ${dim(text)}`;
  };
  const byte = (bytes: number[]) => (at < bytes.length ? `0x${bytes[at]!.toString(16).padStart(2, '0')}` : 'nothing (it ends there)');
  return [
    `Buffers differ: expected ${want.length} bytes, received ${got.length}; first difference at byte ${at}: expected ${byte(want)}, received ${byte(got)}`,
    `${green('- expected')}  ${around(want)}`,
    `${red('+ received')}  ${around(got)}`,
  ].join('\n');
}

function codeFrame(file: string, line: number, before = 2): string | null {
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split('\n');
  const from = Math.max(0, line - 1 - before);
  return lines
    .slice(from, line + (before > 0 ? 1 : 0))
    .map((text, i) => {
      const n = from + i + 1;
      const gutter = `${n === line ? red('>') : ' '} ${String(n).padStart(4)} | `;
      return `${gutter}${n === line ? text : dim(text)}`;
    })
    .join('\n');
}

const indent = (text: string, by = 2) => text.replace(/^/gm, ' '.repeat(by));
