/**
 * npm run hint N                 the next hint of the first exercise of lesson N that fails
 * npm run hint N exercise        the next hint of that exercise (its name, or its number in the lesson)
 * npm run hint N exercise k      its k-th hint
 *
 * Which exercise fails comes from your last `npm run lesson N` when your files
 * have not changed since; otherwise the lesson's specs run first (quietly).
 * Each exercise has 2 or 3 hints: the first a nudge, the last nearly the answer.
 */
import { exerciseName, findExercise, specFor, type Exercise, type Lesson } from '../manifest.js';
import { parseArgs } from './lib/args.js';
import { parseBackend, prepareBackend } from './lib/backends.js';
import { lessonFromArg } from './lib/lesson-arg.js';
import { exercisesOf } from './lib/report.js';
import { currentExercises, readProgress, readSeenHints, recordRun, writeSeenHints } from './lib/state.js';
import { bold, cyan, dim, fail, green } from './lib/ui.js';

const [lessonArg, exerciseArg, kArg] = parseArgs({ allowPositionals: true, options: {} }).positionals;
const lesson = lessonFromArg(lessonArg, 'hint');
const seen = readSeenHints();

let exercise: Exercise;
let why = '';
if (exerciseArg !== undefined) {
  const found = findExercise(lesson, exerciseArg);
  if (!found) {
    const list = lesson.exercises.map((e, i) => `  ${i + 1}  ${exerciseName(e.file)}`).join('\n');
    fail(`Lesson ${lesson.number} has no exercise "${exerciseArg}". Its exercises (by name or number):\n${list}`);
  }
  exercise = found;
} else {
  const failing = await firstFailing(lesson);
  if (failing === null) {
    console.log(green(`Every exercise of lesson ${lesson.number} passes: no hint needed.`));
    console.log(dim(`For a hint anyway: npm run hint ${lesson.number} <exercise> (${lesson.files.map(exerciseName).join(', ')})`));
    process.exit(0);
  }
  exercise = failing;
  why = ' (the first exercise that fails)';
}

const key = `${lesson.slug}/${exercise.file}`;
const total = exercise.hints.length;
const k = kArg === undefined ? Math.min((seen[key] ?? 0) + 1, total) : Number(kArg);
if (!Number.isInteger(k) || k < 1 || k > total) fail(`${exercise.file} has hints 1 to ${total}; got "${kArg}".`);

const name = exerciseName(exercise.file);
const number = lesson.exercises.indexOf(exercise) + 1;
console.log(`${bold(`Hint ${k} of ${total} for ${exercise.file}`)}${dim(`${why}, exercise ${number} of lesson ${lesson.number}`)}\n`);
console.log(exercise.hints[k - 1]);
console.log(
  dim(
    k < total
      ? `\nStill stuck? npm run hint ${lesson.number} ${name} (hint ${k + 1})`
      : `\nThat was the last hint for ${exercise.file}. The reference is solutions/${lesson.slug}/${exercise.file}; try once more before you open it.`,
  ),
);

seen[key] = Math.max(seen[key] ?? 0, k);
writeSeenHints(seen);

/** The first exercise that fails: from the last run where the files are unchanged, else from running the specs now. */
async function firstFailing(lesson: Lesson): Promise<Exercise | null> {
  let known = currentExercises(lesson, readProgress()[lesson.slug]);
  if (known.size < lesson.files.length) {
    console.log(dim(`Running lesson ${lesson.number}'s specs to find the exercise that fails…`));
    const backend = await prepareBackend(parseBackend(undefined), lesson.backend);
    // Loaded here: with a current record, a hint needs no vitest at all.
    const { runSpecs } = await import('./lib/run-specs.js');
    const { kataProject } = await import('./lib/vitest-config.js');
    const missing = lesson.files.filter((f) => !known.has(f));
    const results = await runSpecs({ config: kataProject('lessons'), specs: missing.map((f) => specFor(lesson, f)) });
    await backend.stop();
    const exercises = exercisesOf(lesson, results, missing);
    recordRun(lesson, exercises.map((e) => ({ file: e.file, passed: e.passed, total: e.passed + e.failed, failed: e.failed > 0 })));
    known = currentExercises(lesson, readProgress()[lesson.slug]);
    console.log(dim(`(${cyan(`npm run lesson ${lesson.number}`)} shows every failure in full)\n`));
  }
  return lesson.exercises.find((e) => known.get(e.file) !== true) ?? null;
}
