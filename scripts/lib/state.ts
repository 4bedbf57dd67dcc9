/**
 * The learner's progress, in .cachelings/progress.json (git-ignored). It is a
 * record of the last runs, not a verdict: each exercise keeps a fingerprint of
 * what it ran on (every file of the lesson the learner edits, since an exercise
 * may import its neighbours, and the exercise's specs), and a record whose
 * fingerprint no longer matches is unverified. A run of one exercise
 * (`npm run lesson 3 codecs`) updates that exercise only.
 *
 * A lesson is done when every exercise's core passed on the files as they are
 * now; done with depth when every deep spec did too (`-- --deep`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deepSpecFor, specFor, type Lesson } from '../../manifest.js';
import { root } from './vitest-config.js';

export interface ExerciseRecord {
  /** The core spec's tests that passed, of `total`. */
  passed: number;
  total: number;
  /** sha1 of what it ran on: the lesson's files as they were at that run, and the exercise's specs. */
  fingerprint: string;
  /** The deep spec, when the run included it (`--deep`) and the exercise has one. */
  deep?: { passed: number; total: number };
}

export interface LessonRecord {
  /** 'deep': every exercise's core and deep specs passed on the current files; 'done': every core; 'started': anything else that ran. */
  status: 'deep' | 'done' | 'started';
  passed: number;
  total: number;
  /** ISO time of the last run. */
  at: string;
  /** sha1 of all the lesson's files as they were at the last run. */
  fingerprint: string;
  /** Per exercise file; missing in records written before exercises were tracked. */
  exercises?: Record<string, ExerciseRecord>;
}

export type Progress = Record<string, LessonRecord>;

/** What one run found for one exercise. */
export interface ExerciseRun {
  file: string;
  passed: number;
  total: number;
  /** Type errors in the learner's files count against the lesson being done. */
  failed: boolean;
  /** The deep tier, when it ran. */
  deep?: { passed: number; total: number };
}

/** .cachelings/ in the repository; CACHELINGS_STATE_DIR elsewhere (the engine specs, so they never touch a learner's record; CI's container stage). */
export const stateDir = process.env.CACHELINGS_STATE_DIR ?? path.join(root, '.cachelings');
const stateFile = path.join(stateDir, 'progress.json');

export function readProgress(): Progress {
  if (!existsSync(stateFile)) return {};
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as Progress;
  } catch {
    return {}; // a damaged state file is just an unverified one
  }
}

function write(progress: Progress): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(stateFile, `${JSON.stringify(progress, null, 2)}\n`);
}

/** Merges a run of some (or all) of a lesson's exercises into its record, and returns the record. */
export function mergeRun(previous: LessonRecord | undefined, lesson: Lesson, runs: ExerciseRun[], fingerprints: Record<string, string>, at: string): LessonRecord {
  const exercises: Record<string, ExerciseRecord> = { ...previous?.exercises };
  for (const run of runs) {
    // A failing run is stored with passed < total, so it never counts as done.
    const deep = run.deep ?? (exercises[run.file]?.fingerprint === fingerprints[run.file] ? exercises[run.file]?.deep : undefined);
    exercises[run.file] = {
      passed: run.passed,
      total: run.failed ? Math.max(run.total, run.passed + 1) : run.total,
      fingerprint: fingerprints[run.file]!,
      ...(deep ? { deep } : {}),
    };
  }
  const current = lesson.files.map((file) => exercises[file]).filter((r, i) => r !== undefined && r.fingerprint === fingerprints[lesson.files[i]!]);
  const done = current.length === lesson.files.length && current.every((r) => r!.passed === r!.total);
  const deepDone = done && current.every((r) => r!.deep !== undefined && r!.deep.passed === r!.deep.total);
  const passed = current.reduce((n, r) => n + r!.passed, 0);
  const total = current.reduce((n, r) => n + r!.total, 0);
  return { status: deepDone ? 'deep' : done ? 'done' : 'started', passed, total, at, fingerprint: combined(lesson, fingerprints), exercises };
}

export function recordRun(lesson: Lesson, runs: ExerciseRun[]): LessonRecord {
  const progress = readProgress();
  const record = mergeRun(progress[lesson.slug], lesson, runs, fileFingerprints(lesson), new Date().toISOString());
  progress[lesson.slug] = record;
  write(progress);
  return record;
}

export function forget(lesson: Lesson): void {
  const progress = readProgress();
  if (!(lesson.slug in progress)) return;
  delete progress[lesson.slug];
  write(progress);
}

/**
/**
 * A file's text as the kata compares it: line endings do not count, so an editor
 * (or a Git for Windows checkout) that writes CRLF does not make a file "edited".
 */
export const withoutLineEndings = (text: string): string => text.replace(/\r\n?/g, '\n');

/**
 * For each exercise, sha1 of what its run depends on: every file of the lesson
 * the learner edits (an exercise may import its neighbours) and its own specs,
 * whatever their line endings.
 */
export function fileFingerprints(lesson: Lesson, lessonsDir = path.join(root, 'lessons')): Record<string, string> {
  const content = (full: string) => (existsSync(full) ? withoutLineEndings(readFileSync(full, 'utf8')) : '<missing>');
  const learner = createHash('sha1');
  for (const file of lesson.files) learner.update(file).update('\0').update(content(path.join(lessonsDir, lesson.slug, file))).update('\0');
  const lessonFiles = learner.digest('hex');
  return Object.fromEntries(
    lesson.files.map((file) => {
      const hash = createHash('sha1').update(lessonFiles);
      for (const spec of [specFor(lesson, file), deepSpecFor(lesson, file)]) hash.update(spec).update('\0').update(content(path.join(root, spec))).update('\0');
      return [file, hash.digest('hex')];
    }),
  );
}

function combined(lesson: Lesson, fingerprints: Record<string, string>): string {
  const hash = createHash('sha1');
  for (const file of lesson.files) hash.update(file).update(fingerprints[file] ?? '');
  return hash.digest('hex');
}

/** A hash of the learner's files of a lesson. */
export function fingerprint(lesson: Lesson): string {
  return combined(lesson, fileFingerprints(lesson));
}

/**
 * Whether the learner has changed a lesson's files since they were shipped
 * (a missing file counts as changed); line endings do not count. `shipped` maps
 * each file (lessons/<slug>/<file>) to git's copy; null when git cannot tell
 * (a ZIP download has no history to compare with).
 */
export function lessonEdited(lesson: Lesson, shipped: Map<string, string | null> | null, lessonsDir = path.join(root, 'lessons')): boolean | null {
  if (shipped === null) return null;
  return lesson.files.some((file) => {
    const starter = shipped.get(`lessons/${lesson.slug}/${file}`);
    const full = path.join(lessonsDir, lesson.slug, file);
    if (!existsSync(full)) return true;
    return starter !== null && starter !== undefined && withoutLineEndings(starter) !== withoutLineEndings(readFileSync(full, 'utf8'));
  });
}

/** The exercises whose record matches the files as they are now: file → its core passing or not. */
export function currentExercises(lesson: Lesson, record: LessonRecord | undefined): Map<string, boolean> {
  const now = fileFingerprints(lesson);
  const known = new Map<string, boolean>();
  for (const file of lesson.files) {
    const r = record?.exercises?.[file];
    if (r && r.fingerprint === now[file]) known.set(file, r.passed === r.total);
  }
  return known;
}

/** The deep tier of the exercises whose record is current and has one: file → { passed, total }. */
export function currentDeep(lesson: Lesson, record: LessonRecord | undefined): Map<string, { passed: number; total: number }> {
  const now = fileFingerprints(lesson);
  const known = new Map<string, { passed: number; total: number }>();
  for (const file of lesson.files) {
    const r = record?.exercises?.[file];
    if (r?.deep && r.fingerprint === now[file]) known.set(file, r.deep);
  }
  return known;
}

const hintsFile = () => path.join(stateDir, 'hints.json');

/** How many hints of each exercise the learner has seen, by "<slug>/<file>". */
export function readSeenHints(): Record<string, number> {
  try {
    return existsSync(hintsFile()) ? (JSON.parse(readFileSync(hintsFile(), 'utf8')) as Record<string, number>) : {};
  } catch {
    return {};
  }
}

export function writeSeenHints(seen: Record<string, number>): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(hintsFile(), `${JSON.stringify(seen, null, 2)}\n`);
}

/** A reset lesson starts its hints from the nudge again. */
export function forgetHints(lesson: Lesson): void {
  const seen = readSeenHints();
  const kept = Object.fromEntries(Object.entries(seen).filter(([key]) => !key.startsWith(`${lesson.slug}/`) && key !== lesson.slug));
  if (Object.keys(kept).length !== Object.keys(seen).length) writeSeenHints(kept);
}
