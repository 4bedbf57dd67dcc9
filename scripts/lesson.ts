/**
 * npm run lesson N [exercise] [-- --part P] [--redis mock|real|container] [--watch] [--poll]
 * npm run solution N [...]  (the same specs against solutions/)
 *
 * Runs one lesson's specs against the learner's files (or the reference) and
 * prints a short summary; with an exercise (its name, `codecs`, or its number
 * within the lesson, `3`), only that exercise's spec; with --part, the
 * exercises of one part of a lesson that comes in parts. The learner's type
 * errors in the lesson come first (tsc runs beside the specs). In watch mode
 * the exercise whose file was saved runs, and is shown, first.
 * Exits non-zero while anything fails.
 */
import path from 'node:path';
import { parseArgs } from './lib/args.js';
import { exerciseName, findExercise, partMinutes, specFor, type Lesson } from '../manifest.js';
import { lessonFromArg } from './lib/lesson-arg.js';
import { parseBackend, prepareBackend } from './lib/backends.js';
import { exercisesOf, printLessonReport } from './lib/report.js';
import { runSpecs } from './lib/run-specs.js';
import { specsOf } from './lib/tiers.js';
import { currentExercises, recordRun } from './lib/state.js';
import { lessonTypeErrors, type TypeDiagnostic } from './lib/typecheck.js';
import { kataProject, root, type Target } from './lib/vitest-config.js';
import { dim, fail } from './lib/ui.js';
import { publishToRoom } from './room/publish.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    target: { type: 'string', default: 'lessons' },
    redis: { type: 'string' },
    part: { type: 'string' },
    watch: { type: 'boolean', short: 'w', default: false },
    poll: { type: 'boolean', default: false },
    deep: { type: 'boolean', default: false },
  },
});

const target = (values.target === 'solutions' ? 'solutions' : 'lessons') as Target;
const command = target === 'lessons' ? 'lesson' : 'solution';
const lesson = lessonFromArg(positionals[0], command);
const { files, scope } = chooseExercises(lesson, positionals[1], values.part);
const watch = values.watch || values.poll;
const backend = await prepareBackend(parseBackend(values.redis), lesson.backend);
const onMock = process.env.CACHELINGS_REDIS === 'mock';

// The learner's type errors, checked beside the specs (the starters' only: the reference is npm test's job).
const checkTypes = () => (target === 'lessons' ? lessonTypeErrors(lesson) : Promise.resolve([] as TypeDiagnostic[]));
let typeErrors = checkTypes();
let saved: string | undefined;

let failing = true;
await runSpecs({
  config: kataProject(target),
  specs: specsOf(lesson, files, values.deep),
  watch,
  poll: values.poll,
  onRerun(trigger) {
    const relative = trigger ? path.relative(path.join(root, target, lesson.slug), trigger) : '';
    saved = files.includes(relative) ? relative : undefined;
    typeErrors = checkTypes();
  },
  runFirst: () => (saved ? specFor(lesson, saved) : undefined),
  async onRun(results, unhandled) {
    const errors = await typeErrors;
    if (watch) console.clear();
    const exercises = exercisesOf(lesson, results, files);
    const typeTrouble = (errors ?? []).length > 0;
    failing = exercises.some((e) => e.failed > 0 || (e.deep?.failed ?? 0) > 0) || unhandled.length > 0 || typeTrouble;
    let next: string | undefined;
    if (target === 'lessons') {
      const record = recordRun(
        lesson,
        exercises.map((e) => ({ file: e.file, passed: e.passed, total: e.passed + e.failed, failed: e.failed > 0 || typeTrouble })),
      );
      // After one exercise or part: the first exercise of the lesson not yet seen passing.
      const known = currentExercises(lesson, record);
      next = lesson.files.find((f) => known.get(f) !== true);
    }
    printLessonReport(lesson, target, backend.label, exercises, { typeErrors: errors, saved, scope, onMock, next });
    for (const error of unhandled) console.log(`\n  Unhandled error: ${error.message}`);
    // The workshop room, if this learner joined one: at most a second, never a failure.
    if (target === 'lessons') await publishToRoom([{ lesson, exercises }]);
    if (watch) console.log(dim(`\nWatching lessons/${lesson.slug}/ for changes${values.poll ? ' (polling)' : ''}. Ctrl+C to stop.`));
  },
});

if (!watch) {
  await backend.stop();
  process.exit(failing ? 1 : 0);
}

/** The exercises a command line asks for: one, one part, or the whole lesson. */
function chooseExercises(lesson: Lesson, exerciseArg: string | undefined, partArg: string | undefined): { files: string[]; scope?: string } {
  const list = lesson.exercises.map((e, i) => `  ${i + 1}  ${exerciseName(e.file).padEnd(22)} ${dim(`${e.minutes} min`)}`).join('\n');
  if (exerciseArg !== undefined) {
    const exercise = findExercise(lesson, exerciseArg);
    if (!exercise) fail(`Lesson ${lesson.number} has no exercise "${exerciseArg}". Its exercises (by name or number):\n${list}`);
    const index = lesson.exercises.indexOf(exercise);
    // An exercise and a part: they must agree, or the command means two things (`npm run lesson 1 memoize -- --part 2`).
    const inPart = lesson.parts.findIndex((p) => p.files.includes(exercise.file)) + 1;
    if (partArg !== undefined && partArg !== String(inPart)) {
      const name = exerciseName(exercise.file);
      const alone = `npm run lesson ${lesson.number} ${name}`;
      const part = `npm run lesson ${lesson.number} -- --part ${partArg}`;
      const wanted = lesson.parts[Number(partArg) - 1];
      const width = Math.max(alone.length, part.length) + 2;
      fail(
        `${name} is in part ${inPart} of lesson ${lesson.number}, not part ${partArg}. Run one or the other:\n` +
          `  ${alone.padEnd(width)}${dim('the exercise alone')}\n` +
          `  ${part.padEnd(width)}${dim(wanted ? `part ${partArg}: ${wanted.files.map(exerciseName).join(', ')}` : `lesson ${lesson.number} has ${lesson.parts.length} part${lesson.parts.length === 1 ? '' : 's'}`)}`,
      );
    }
    return { files: [exercise.file], scope: `exercise ${index + 1} of ${lesson.exercises.length}` };
  }
  if (partArg !== undefined) {
    const parts = lesson.parts.map((p, i) => `  ${i + 1}  ${p.title} ${dim(`(${p.files.map(exerciseName).join(', ')}; ${partMinutes(lesson, p)} min)`)}`).join('\n');
    const part = lesson.parts[Number(partArg) - 1];
    if (!/^\d+$/.test(partArg) || !part) fail(`Lesson ${lesson.number} has part${lesson.parts.length === 1 ? '' : 's'} 1${lesson.parts.length > 1 ? ` to ${lesson.parts.length}` : ''}; got "${partArg}":\n${parts}`);
    return { files: part.files, scope: `part ${partArg} of ${lesson.parts.length} (${part.title})` };
  }
  return { files: lesson.files };
}
