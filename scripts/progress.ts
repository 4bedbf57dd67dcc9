/**
 * npm run progress [-- --verify] [--redis real]
 *
 * Every lesson as done / started / not started. Started means edited: a lesson
 * whose files are as shipped is "not started", whatever a run of its starter
 * passed, here and under --verify alike (without git to compare with, a lesson
 * that ran counts as started). The record comes from your last
 * `npm run lesson N`; a lesson whose files changed since is shown as unverified.
 * --verify re-runs every lesson's specs now and records what it finds.
 */
import { parseArgs } from './lib/args.js';
import { exerciseName, lessons, specFor, type Lesson } from '../manifest.js';
import { neededBackend, parseBackend, prepareBackend } from './lib/backends.js';
import { starterContents, starterRef } from './lib/git.js';
import { exercisesOf } from './lib/report.js';
import { runSpecs } from './lib/run-specs.js';
import { currentDeep, currentExercises, fingerprint, forget, lessonEdited, readProgress, recordRun, type LessonRecord } from './lib/state.js';
import { lessonSize } from './lib/sizes.js';
import { bold, cyan, dim, green, mark, progressBar, yellow } from './lib/ui.js';
import { kataProject } from './lib/vitest-config.js';
import { publishToRoom, type RoomRun } from './room/publish.js';

const { values } = parseArgs({ options: { verify: { type: 'boolean', default: false }, redis: { type: 'string' } } });

const ref = starterRef();
// The starters as shipped, read once: a lesson counts as started when its files differ from them.
const shipped = ref === null ? null : starterContents(ref, lessons.flatMap((l) => l.files.map((f) => `lessons/${l.slug}/${f}`)));
/** true: the learner changed the lesson's files; false: they are as shipped; null: git cannot tell (no clone). */
const edited = (lesson: Lesson) => lessonEdited(lesson, shipped);

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
    const failed = exercises.reduce((n, e) => n + e.failed, 0);
    // One rule, here and below: a lesson nobody has edited is "not started", whatever its naive starter passes.
    if (failed === 0 || edited(lesson) !== false) {
      recordRun(lesson, exercises.map((e) => ({ file: e.file, passed: e.passed, total: e.passed + e.failed, failed: e.failed > 0 })));
      roomRuns.push({ lesson, exercises });
    } else forget(lesson);
  }
  // The workshop room, if this learner joined one: at most a second, never a failure.
  await publishToRoom(roomRuns);
}

const progress = readProgress();
let done = 0;
let next: Lesson | undefined;
let nextExercise: string | undefined;
const startedSlugs = new Set<string>();
const lines = lessons.flatMap((lesson): string[] => {
  const record = progress[lesson.slug];
  const current = record !== undefined && record.fingerprint === fingerprint(lesson);
  const label = `${String(lesson.number).padStart(2)}  ${lesson.title}`;
  const size = lessonSize(lesson);
  const time = dim(`· ${size.coreMinutes} min, +${size.deepMinutes} deep`);
  if (record?.status === 'deep' && current) {
    done++;
    return [`  ${mark.pass} ${label}  ${green('done, with depth')} ${dim(`(${record.passed}/${record.total} core, every deep spec)`)}`];
  }
  if (record?.status === 'done' && current) {
    done++;
    return [`  ${mark.pass} ${label}  ${green('done')} ${dim(`(${record.passed}/${record.total} core; depth: npm run lesson ${lesson.number} -- --deep)`)}`];
  }
  // Started: edited since it was shipped (without git to tell, any lesson that ran). Next is the first started, else the first not done.
  const touched = edited(lesson);
  const started = touched === true || (touched === null && record !== undefined);
  if (started) startedSlugs.add(lesson.slug);
  const first = started && (next === undefined || !startedSlugs.has(next.slug));
  if (first || next === undefined) next = lesson;
  if (started && record && !current) {
    return [`  ${yellow('◐')} ${label}  ${yellow('started')} ${dim(`(edited since the last run: npm run lesson ${lesson.number})`)}`, ...exerciseLines(lesson, record, first)];
  }
  if (started && record) return [`  ${yellow('◐')} ${label}  ${yellow('started')} ${dim(`(${record.passed}/${record.total} passing)`)}`, ...exerciseLines(lesson, record, first)];
  if (started) return [`  ${yellow('◐')} ${label}  ${yellow('started')} ${dim('(edited, not run yet)')}`];
  if (record) {
    const ran = `ran ${record.passed}/${record.total} on the starter, nothing edited yet: edit lessons/${lesson.slug}/ and run npm run lesson ${lesson.number} again`;
    return [`  ${mark.todo} ${label}  ${dim('not started')} ${time} ${dim(`(${ran})`)}`];
  }
  return [`  ${mark.todo} ${label}  ${dim('not started')} ${time}`];
});

/** The exercises of a started lesson: passing, failing, edited since, or not run; the first unfinished is the next one. */
function exerciseLines(lesson: Lesson, record: LessonRecord, first: boolean): string[] {
  const known = currentExercises(lesson, record);
  const deep = currentDeep(lesson, record);
  const size = lessonSize(lesson);
  const width = Math.max(...lesson.files.map((f) => exerciseName(f).length));
  return lesson.exercises.map((exercise, i) => {
    const name = exerciseName(exercise.file);
    const ran = record.exercises?.[exercise.file];
    const state = known.get(exercise.file);
    if (state !== true && first) nextExercise ??= name;
    const what =
      state === true ? `${mark.pass} ${name.padEnd(width)}  ${green(`${ran!.passed}/${ran!.total}`)}`
      : state === false ? `${mark.fail} ${name.padEnd(width)}  ${ran!.passed}/${ran!.total} passing`
      : ran ? `${yellow('◐')} ${name.padEnd(width)}  ${dim('edited since the last run')}`
      : `${mark.todo} ${name.padEnd(width)}  ${dim('not run yet')}`;
    const d = deep.get(exercise.file);
    const depth = d && d.total > 0 ? dim(` · deep ${d.passed}/${d.total}`) : '';
    return `      ${dim(`${i + 1}.`)} ${what}${depth} ${dim(`· ${size.exercises[i]!.coreMinutes} min`)}`;
  });
}

console.log(`\n${bold('cachelings progress')}  ${progressBar(done, lessons.length)}\n`);
for (const line of lines) console.log(line);
console.log('');
if (next) console.log(`Next: ${cyan(`npm run lesson ${next.number}${nextExercise ? ` ${nextExercise}` : ''}`)}  ${dim('· re-check everything: npm run progress -- --verify')}`);
else console.log(green(bold('Every lesson is done. Well done!')));
