/**
 * The two tiers of an exercise's specs. The core (test/<slug>/<name>.spec.ts)
 * is the idea the lesson teaches and what its README contract promises: what
 * `npm run lesson N` runs and what "done" means. The deep tier
 * (<name>.deep.spec.ts) is the depth on request: hostile inputs, protocol
 * corners, exact messages. `--deep` adds it; every reference passes both.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { deepSpecFor, specFor, type Lesson } from '../../manifest.js';
import { root } from './vitest-config.js';

export type Tier = 'core' | 'deep';

/** Whether the exercise has a deep spec at all. */
export function hasDeep(lesson: Pick<Lesson, 'slug'>, file: string): boolean {
  return existsSync(path.join(root, deepSpecFor(lesson, file)));
}

/** The spec files of some exercises of a lesson, core first, then the deep ones that exist when `deep`. */
export function specsOf(lesson: Pick<Lesson, 'slug'>, files: string[], deep: boolean): string[] {
  const core = files.map((f) => specFor(lesson, f));
  return deep ? [...core, ...files.filter((f) => hasDeep(lesson, f)).map((f) => deepSpecFor(lesson, f))] : core;
}

/** The tier a spec file belongs to. */
export function tierOf(spec: string): Tier {
  return spec.endsWith('.deep.spec.ts') ? 'deep' : 'core';
}

/** Which exercise file of the lesson a spec belongs to, if any. */
export function exerciseOfSpec(lesson: Pick<Lesson, 'slug' | 'files'>, spec: string): string | undefined {
  return lesson.files.find((f) => spec === specFor(lesson, f) || spec === deepSpecFor(lesson, f));
}
