/** The calm summary of a lesson run: one line per exercise, the first failure in full, where to look next. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestError } from 'vitest';
import { deepSpecFor, exerciseName, partMinutes, specFor, type Lesson } from '../../manifest.js';
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
export function focusExercise(exercises: ExerciseResult[], saved?: string): ExerciseResult | undefined {
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
  /** The lesson's first exercise not known to pass, after this run (for the line that says what next). */
  next?: string;
}

export function printLessonReport(lesson: Lesson, target: Target, backendLabel: string, exercises: ExerciseResult[], options: ReportOptions): void {
  const folder = `${target}/${lesson.slug}/`;
  console.log('');
  console.log(`${bold(`Lesson ${lesson.number}: ${lesson.title}`)} ${dim(lesson.sections.length > 0 ? `(source ${lesson.sections.join(', ')})` : '(beyond the source)')}`);
  console.log(dim(`${folder}${options.scope ? ` · ${options.scope}` : ''} · backend: ${backendLabel}`));
  if (!options.scope && lesson.parts.length > 1) {
    const parts = lesson.parts.map((p, i) => `part ${i + 1}: ${p.files.map(exerciseName).join(', ')} (${partMinutes(lesson, p)} min)`);
    console.log(dim(`${lesson.minutes} min in ${lesson.parts.length} parts, one slot each (npm run lesson ${lesson.number} -- --part N): ${parts.join('; ')}`));
  }

  const gone = exercises.filter((e) => isMissing(target, lesson, e.file)).map((e) => e.file);
  for (const file of gone) console.log(`\n${red(bold(`✗ ${target}/${lesson.slug}/${file} is missing`))} ${dim('(deleted or renamed?): its spec cannot load it.')}\n  ${restore(target, lesson, file)}`);

  const typeErrors = options.typeErrors ?? [];
  if (typeErrors.length > 0) printTypeErrors(typeErrors, target, lesson);
  console.log('');

  const width = Math.max(...exercises.map((e) => e.file.length));
  for (const ex of exercises) {
    const total = ex.passed + ex.failed;
    const state = ex.failed === 0 ? mark.pass : mark.fail;
    const count = ex.failed === 0 ? green(`${ex.passed}/${total}`) : `${ex.passed}/${total}`;
    const skipped = ex.skipped.length > 0 ? yellow(` (${ex.skipped.length} skipped)`) : '';
    const deep = ex.deep ? dim(` · deep ${ex.deep.passed}/${ex.deep.passed + ex.deep.failed}`) : '';
    console.log(`  ${state} ${ex.file.padEnd(width)}  ${gone.includes(ex.file) ? red('missing') : `${count} passing`}${skipped}${deep}`);
  }

  const current = focusExercise(exercises, options.saved);
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
  const which = options.scope ? `${options.scope} of lesson ${lesson.number}` : `Lesson ${lesson.number}`;
  if (!current && typeErrors.length > 0) {
    console.log(yellow(bold(`${capitalise(which)} passes its specs, but your files have ${typeErrors.length} type error${typeErrors.length === 1 ? '' : 's'} (above).`)));
    console.log('The specs run with types stripped; the types are part of the exercise. Fix them, then run it again.');
    return;
  }
  if (!current) {
    if (target === 'solutions') {
      console.log(green(`The reference solution of ${which.replace(/^Lesson/, 'lesson')} passes.`));
      return;
    }
    const needsServer = skipped.filter((t) => /--redis real/.test(t.name)).length;
    console.log(green(bold(`${capitalise(which)} passes${options.onMock && lesson.backend !== 'none' ? ' on ioredis-mock' : ''}. Well done!`)));
    if (options.onMock && needsServer > 0) {
      console.log(
        `${needsServer} spec${needsServer === 1 ? '' : 's'} ran only on a real Redis (listed above). The lesson counts as done; to see ${needsServer === 1 ? 'it' : 'them'} pass too: ${cyan(`npm run lesson ${lesson.number} -- --redis real`)}`,
      );
    }
    if (options.scope && options.next) console.log(`Next: ${cyan(`npm run lesson ${lesson.number} ${exerciseName(options.next)}`)}`);
    else if (options.scope) console.log(`Next: ${cyan(`npm run lesson ${lesson.number}`)} ${dim('(the whole lesson, to call it done)')}`);
    else console.log(`Compare with the reference in solutions/${lesson.slug}/, then go on: ${cyan('npm run progress')}`);
    return;
  }
  if (gone.includes(current.file)) {
    console.log(restore(target, lesson, current.file));
    return;
  }
  const fix = target === 'lessons' ? `Edit ${folder}${current.file}` : `The reference ${folder}${current.file} fails`;
  console.log(`${fix} · read ${cyan(`lessons/${lesson.slug}/README.md`)} · stuck? ${cyan(`npm run hint ${lesson.number} ${exerciseName(current.file)}`)}`);
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** An exercise file that is not there, in a lesson folder that is: deleted or renamed by the learner. */
const isMissing = (target: Target, lesson: Lesson, file: string) =>
  existsSync(path.join(root, target, lesson.slug)) && !existsSync(path.join(root, target, lesson.slug, file));

/** How to get a missing file back. */
function restore(target: Target, lesson: Lesson, file: string): string {
  if (target === 'solutions') return `Put it back from git: ${cyan(`git checkout -- solutions/${lesson.slug}/${file}`)}`;
  return `${cyan(`npm run reset ${lesson.number} ${exerciseName(file)}`)} puts back its starter ${dim(`(that file only; npm run reset ${lesson.number} puts back the whole lesson)`)}`;
}

/** Type errors first: a wrong argument count passes specs that run with types stripped. */
function printTypeErrors(errors: TypeDiagnostic[], target: Target, lesson: Lesson): void {
  console.log('');
  console.log(red(bold(`Type errors in your files (${errors.length}):`)));
  for (const e of errors.slice(0, 5)) {
    const imported = /'@kata\/[^/]+\/([^']+)\.js'/.exec(e.message)?.[1];
    const gone = e.code === 'TS2307' && imported !== undefined && isMissing(target, lesson, `${imported}.ts`);
    const where =
      gone ? dim(` (${target}/${lesson.slug}/${imported}.ts is missing)`)
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

/** Every test of the exercise shown in full, then its first failure. */
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
