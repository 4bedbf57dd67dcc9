/**
 * npm run progress [-- --verify] [--redis real]
 *
 * Every lesson as done / started / not started. The record comes from your last
 * `npm run lesson N`; a lesson whose files changed since is shown as unverified.
 * --verify re-runs every lesson's specs now and records what it finds.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { lessons, specFor, type Lesson } from '../manifest.js';
import { neededBackend, parseBackend, prepareBackend } from './lib/backends.js';
import { starterContent, starterRef } from './lib/git.js';
import { exercisesOf } from './lib/report.js';
import { runSpecs } from './lib/run-specs.js';
import { fingerprint, forget, readProgress, recordRun } from './lib/state.js';
import { bold, cyan, dim, green, mark, progressBar, yellow } from './lib/ui.js';
import { kataProject, root } from './lib/vitest-config.js';
import { publishToRoom, type RoomRun } from './room/publish.js';

const { values } = parseArgs({ options: { verify: { type: 'boolean', default: false }, redis: { type: 'string' } } });

const ref = starterRef();
/** Edited: the learner's files differ from the starters as shipped (git knows them). */
const edited = (lesson: Lesson) =>
  ref !== null &&
  lesson.files.some((file) => {
    const shipped = starterContent(ref, `lessons/${lesson.slug}/${file}`);
    const now = readFileSync(path.join(root, 'lessons', lesson.slug, file), 'utf8');
    return shipped !== null && shipped !== now;
  });

if (values.verify) {
  const backend = await prepareBackend(parseBackend(values.redis), neededBackend(lessons));
  console.log(dim(`Re-running every lesson's specs against lessons/ (backend: ${backend.label})…`));
  const results = await runSpecs({
    config: kataProject('lessons', lessons.flatMap((l) => l.files.map((f) => specFor(l, f)))),
  });
  await backend.stop();
  const roomRuns: RoomRun[] = [];
  for (const lesson of lessons) {
    const exercises = exercisesOf(lesson, results);
    const passed = exercises.reduce((n, e) => n + e.passed, 0);
    const failed = exercises.reduce((n, e) => n + e.failed, 0);
    // A lesson nobody has touched is "not started", whatever its naive starter happens to pass.
    if (failed === 0 || edited(lesson)) {
      recordRun(lesson, passed, passed + failed, failed === 0);
      roomRuns.push({ lesson, exercises });
    } else forget(lesson);
  }
  // The workshop room, if this learner joined one: at most a second, never a failure.
  await publishToRoom(roomRuns);
}

const progress = readProgress();
let done = 0;
let next: Lesson | undefined;
const lines = lessons.map((lesson) => {
  const record = progress[lesson.slug];
  const current = record !== undefined && record.fingerprint === fingerprint(lesson);
  const label = `${String(lesson.number).padStart(2)}  ${lesson.title}`;
  if (record?.status === 'done' && current) {
    done++;
    return `  ${mark.pass} ${label}  ${green('done')} ${dim(`(${record.passed}/${record.total})`)}`;
  }
  next ??= lesson;
  if (record && !current) {
    return `  ${yellow('◐')} ${label}  ${yellow('started')} ${dim(`(edited since the last run: npm run lesson ${lesson.number})`)}`;
  }
  if (record) return `  ${yellow('◐')} ${label}  ${yellow('started')} ${dim(`(${record.passed}/${record.total} passing)`)}`;
  if (edited(lesson)) return `  ${yellow('◐')} ${label}  ${yellow('started')} ${dim('(edited, not run yet)')}`;
  return `  ${mark.todo} ${label}  ${dim('not started')}`;
});

console.log(`\n${bold('cachelings progress')}  ${progressBar(done, lessons.length)}\n`);
for (const line of lines) console.log(line);
console.log('');
if (next) console.log(`Next: ${cyan(`npm run lesson ${next.number}`)}  ${dim('· re-check everything: npm run progress -- --verify')}`);
else console.log(green(bold('Every lesson is done. Well done!')));
