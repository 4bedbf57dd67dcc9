/**
 * The learner's progress, in .cachelings/progress.json (git-ignored). It is a
 * record of the last run, not a verdict: each entry keeps a fingerprint of the
 * files it ran against, and `npm run progress` treats an entry whose files have
 * changed since as unverified.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Lesson } from '../../manifest.js';
import { root } from './vitest-config.js';

export interface LessonRecord {
  /** 'done': every spec passed on the last run. 'started': it ran with failures. */
  status: 'done' | 'started';
  passed: number;
  total: number;
  /** ISO time of the run. */
  at: string;
  /** sha1 of the lesson's files as they were at that run. */
  fingerprint: string;
}

export type Progress = Record<string, LessonRecord>;

/** .cachelings/ in the repository; CACHELINGS_STATE_DIR moves it (CI's container stage keeps its own). */
export const stateDir = process.env.CACHELINGS_STATE_DIR || path.join(root, '.cachelings');
const stateFile = path.join(stateDir, 'progress.json');

export function readProgress(): Progress {
  if (!existsSync(stateFile)) return {};
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as Progress;
  } catch {
    return {}; // a damaged state file is just an unverified one
  }
}

export function recordRun(lesson: Lesson, passed: number, total: number, allPassed: boolean): void {
  const progress = readProgress();
  progress[lesson.slug] = {
    status: allPassed ? 'done' : 'started',
    passed,
    total,
    at: new Date().toISOString(),
    fingerprint: fingerprint(lesson),
  };
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(stateFile, `${JSON.stringify(progress, null, 2)}\n`);
}

export function forget(lesson: Lesson): void {
  const progress = readProgress();
  if (!(lesson.slug in progress)) return;
  delete progress[lesson.slug];
  writeFileSync(stateFile, `${JSON.stringify(progress, null, 2)}\n`);
}

/** A hash of the learner's files of a lesson. */
export function fingerprint(lesson: Lesson): string {
  const hash = createHash('sha1');
  for (const file of lesson.files) {
    const full = path.join(root, 'lessons', lesson.slug, file);
    hash.update(file).update(existsSync(full) ? readFileSync(full) : '<missing>');
  }
  return hash.digest('hex');
}
