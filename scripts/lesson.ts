/**
 * npm run lesson N [exercise] [-- --part P] [--deep] [--redis mock|real|container] [--watch] [--poll]
 * npm run solution N [...]  (the same specs against solutions/)
 *
 * The core specs by default (what the exercise teaches, what "done" means);
 * --deep adds the deep tier (hostile inputs, protocol corners, exact messages).
 *
 * Runs one lesson's specs against the learner's files (or the reference) and
 * prints a short summary; with an exercise (its name, `codecs`, or its number
 * within the lesson, `3`), only that exercise's spec; with --part, the
 * exercises of one part of a lesson that comes in parts. The learner's type
 * errors in the lesson come first (tsc runs beside the specs). In watch mode
 * the exercise whose file was saved runs, and is shown, first.
 * Exits non-zero while anything fails.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from './lib/args.js';
import { exerciseName, findExercise, specFor, type Lesson } from '../manifest.js';
import { lessonFromArg } from './lib/lesson-arg.js';
import { parseBackend, prepareBackend } from './lib/backends.js';
import { exercisesOf, printLessonReport, printTypeErrors, type LessonState } from './lib/report.js';
import { lessonSize } from './lib/sizes.js';
import { runSpecs } from './lib/run-specs.js';
import { specsOf } from './lib/tiers.js';
import { currentDeep, currentExercises, recordRun, withoutLineEndings } from './lib/state.js';
import { starterContents, starterRef } from './lib/git.js';
import { lessonTypeErrors, type TypeDiagnostic } from './lib/typecheck.js';
import { kataProject, root, type Target } from './lib/vitest-config.js';
import { bold, dim, fail, red } from './lib/ui.js';
import { describeStuck, startWatchdog } from './lib/watchdog.js';
import { mark } from './lib/timing.mjs';
import { stuckExit } from './lib/supervise.mjs';
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
mark('lesson.ts loaded');
// Exercises still exactly as shipped fail their core by construction (npm test proves it):
// one run shows the first of them in full; the later ones wait until they are edited.
const notStarted = target === 'lessons' && !watch && files.length > 1 ? laterStarters(lesson, files) : [];
const runFiles = files.filter((f) => !notStarted.includes(f));
const backend = await prepareBackend(parseBackend(values.redis), lesson.backend);
const size = lessonSize(lesson);
const onMock = process.env.CACHELINGS_REDIS === 'mock';

// A spec stuck in an endless loop: stop the run and say so (scripts/lib/watchdog.ts).
const watchdog = startWatchdog((stuck) => {
  console.log(`\n${red(bold('A spec never returned.'))}\n\n${describeStuck(stuck, `lessons/${lesson.slug}/`)}`);
  // Under --watch, the supervisor (scripts/lib/supervise.mjs) starts a fresh run at the next save.
  process.exit(process.env.CACHELINGS_SUPERVISED === '1' ? stuckExit : 1);
});
process.env.CACHELINGS_WATCHDOG_DIR = watchdog.dir;

// The learner's type errors, checked beside the specs (the starters' only: the reference is npm test's job).
const checkTypes = () => (target === 'lessons' ? lessonTypeErrors(lesson) : Promise.resolve([] as TypeDiagnostic[]));
let typeErrors = checkTypes();
let saved: string | undefined;

let failing = true;
let runs = 0;
const pending = Symbol('type-check still running');
await runSpecs({
  config: kataProject(target),
  specs: specsOf(lesson, runFiles, values.deep),
  watch,
  poll: values.poll,
  onRerun(trigger) {
    watchdog.reset();
    const relative = trigger ? path.relative(path.join(root, target, lesson.slug), trigger) : '';
    saved = files.includes(relative) ? relative : undefined;
    typeErrors = checkTypes();
  },
  runFirst: () => (saved ? specFor(lesson, saved) : undefined),
  async onRun(results, unhandled) {
    const run = ++runs;
    const exercises = exercisesOf(lesson, results, runFiles);
    const specsFail = exercises.some((e) => e.failed > 0 || (e.deep?.failed ?? 0) > 0) || unhandled.length > 0;
    // A failing run is reported at once, its type errors following when tsc is done; only a
    // green run waits for them, since "done" needs them gone.
    const checking = typeErrors;
    const ready = await Promise.race([checking, Promise.resolve(pending)]);
    const errors = ready === pending ? (specsFail ? pending : await checking) : ready;
    const late = errors === pending;
    if (watch) console.clear();
    const typeTrouble = !late && (errors ?? []).length > 0;
    failing = specsFail || typeTrouble;
    let lessonState: LessonState | undefined;
    if (target === 'lessons') {
      const record = recordRun(
        lesson,
        exercises.map((e) => ({
          file: e.file,
          passed: e.passed,
          total: e.passed + e.failed,
          failed: e.failed > 0 || typeTrouble,
          // With --deep, an exercise without a deep spec has nothing left to do there.
          deep: values.deep ? { passed: e.deep?.passed ?? 0, total: (e.deep?.passed ?? 0) + (e.deep?.failed ?? 0) } : undefined,
        })),
      );
      // From the record of the files as they are now: what is known to pass, never an older run.
      const known = currentExercises(lesson, record);
      const deepKnown = currentDeep(lesson, record);
      const deepSpecs = size.exercises.reduce((n, e) => n + e.deepSpecs, 0);
      const deepPassed = [...deepKnown.values()].reduce((n, d) => n + d.passed, 0);
      lessonState = {
        next: lesson.files.find((f) => known.get(f) !== true),
        done: lesson.files.every((f) => known.get(f) === true),
        deepSpecs,
        deepLeft: Math.max(0, deepSpecs - deepPassed),
      };
    }
    printLessonReport(lesson, target, backend.label, exercises, {
      typeErrors: late ? [] : errors,
      saved,
      scope,
      onMock,
      deep: values.deep,
      lessonState,
      partMinutes: size.parts.map((p) => p.coreMinutes),
      notStarted,
    });
    for (const error of unhandled) console.log(`\n  Unhandled error: ${error.message}`);
    mark('report printed');
    if (late) {
      const found = await checking;
      // Unless a newer save has started another run meanwhile.
      if (run === runs && found && found.length > 0) printTypeErrors(found, 'late');
    }
    // The workshop room, if this learner joined one: at most a second, never a failure.
    if (target === 'lessons') await publishToRoom([{ lesson, exercises }]);
    if (watch) console.log(dim(`\nWatching lessons/${lesson.slug}/ for changes${values.poll ? ' (polling)' : ''}. Ctrl+C to stop.`));
  },
});

if (!watch) {
  watchdog.stop();
  await backend.stop();
  process.exit(failing ? 1 : 0);
}

/**
 * The exercises, after the first one still as shipped, whose files are as
 * shipped (git knows the starters; without git, none): not run this time.
 */
function laterStarters(lesson: Lesson, chosen: string[]): string[] {
  const ref = starterRef();
  if (ref === null) return [];
  const shipped = starterContents(ref, chosen.map((f) => `lessons/${lesson.slug}/${f}`));
  const asShipped = chosen.filter((file) => {
    const starter = shipped.get(`lessons/${lesson.slug}/${file}`);
    const full = path.join(root, 'lessons', lesson.slug, file);
    return starter !== null && starter !== undefined && existsSync(full) && withoutLineEndings(readFileSync(full, 'utf8')) === withoutLineEndings(starter);
  });
  return asShipped.slice(1);
}

/** The exercises a command line asks for: one, one part, or the whole lesson. */
function chooseExercises(lesson: Lesson, exerciseArg: string | undefined, partArg: string | undefined): { files: string[]; scope?: string } {
  const sizes = lessonSize(lesson);
  const list = lesson.exercises.map((e, i) => `  ${i + 1}  ${exerciseName(e.file).padEnd(22)} ${dim(`${sizes.exercises[i]!.coreMinutes} min`)}`).join('\n');
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
    const parts = lesson.parts.map((p, i) => `  ${i + 1}  ${p.title} ${dim(`(${p.files.map(exerciseName).join(', ')}; ${sizes.parts[i]!.coreMinutes} min)`)}`).join('\n');
    const part = lesson.parts[Number(partArg) - 1];
    if (!/^\d+$/.test(partArg) || !part) fail(`Lesson ${lesson.number} has part${lesson.parts.length === 1 ? '' : 's'} 1${lesson.parts.length > 1 ? ` to ${lesson.parts.length}` : ''}; got "${partArg}":\n${parts}`);
    return { files: part.files, scope: `part ${partArg} of ${lesson.parts.length} (${part.title})` };
  }
  return { files: lesson.files };
}
