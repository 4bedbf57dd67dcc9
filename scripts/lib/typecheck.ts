/**
 * tsc, two ways:
 * - typecheck(config): a whole project, for npm test (solutions and starters
 *   must both compile against the same specs);
 * - lessonTypeErrors(lesson): the learner's type errors in one lesson, for the
 *   top of `npm run lesson N`. The specs run with types stripped, so a call with
 *   a missing argument passes them and only fails at run time; this shows it.
 *
 * TypeScript 7 is the native compiler: a lesson costs it about 0.4 s of CPU
 * (5.9 needed about 3.3 s), and scripts/run.mjs starts it before vitest loads,
 * so that it runs beside vitest's start-up, not after it.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Lesson } from '../../manifest.js';
import { startLessonTypecheck, takeEarly } from './lesson-typecheck.mjs';
import { root } from './vitest-config.js';

export interface TypecheckResult {
  config: string;
  ok: boolean;
  output: string;
}

export function typecheck(config: string): Promise<TypecheckResult> {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '-p', config, '--pretty', 'false'], { cwd: root });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (error) => resolve({ config, ok: false, output: error.message }));
    child.on('close', (code) => resolve({ config, ok: code === 0, output: output.trim() }));
  });
}

export interface TypeDiagnostic {
  /** Relative to the repository, e.g. lessons/03-redis-caching/json-cache.ts. */
  file: string;
  line: number;
  column: number;
  /** e.g. TS2554 */
  code: string;
  /** The message, continuation lines included. */
  message: string;
}

/** Reads tsc's `--pretty false` output: `file(line,col): error TSnnnn: message`, continuation lines indented. */
export function parseTscOutput(output: string): TypeDiagnostic[] {
  const errors: TypeDiagnostic[] = [];
  for (const line of output.split('\n')) {
    const m = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
    if (m) {
      errors.push({ file: m[1]!.replace(/\\/g, '/'), line: Number(m[2]), column: Number(m[3]), code: m[4]!, message: m[5]! });
    } else if (/^\s+\S/.test(line) && errors.length > 0) {
      errors[errors.length - 1]!.message += `\n${line}`;
    }
  }
  return errors;
}

/** The errors that belong to a lesson: in the learner's files, or in its specs (a changed signature no longer fits them). */
export function lessonErrors(lesson: Lesson, errors: TypeDiagnostic[]): TypeDiagnostic[] {
  const own = (e: TypeDiagnostic) => e.file.startsWith(`lessons/${lesson.slug}/`) || e.file.startsWith(`test/${lesson.slug}/`);
  return errors.filter(own).sort((a, b) => Number(b.file.startsWith('lessons/')) - Number(a.file.startsWith('lessons/')));
}

/**
 * Type-checks one lesson's starters and specs and returns its errors (the run
 * scripts/run.mjs started before vitest loaded, when there is one); null when
 * tsc could not run at all, which is no reason to stop the specs.
 */
export async function lessonTypeErrors(lesson: Lesson): Promise<TypeDiagnostic[] | null> {
  const result = await (takeEarly(lesson.slug) ?? startLessonTypecheck(lesson.slug));
  if (result.ok) return [];
  const errors = parseTscOutput(result.output);
  if (errors.length === 0) return null; // tsc failed without a diagnostic: not the learner's problem
  return lessonErrors(lesson, errors);
}
