/**
 * npm run lesson N [-- --redis mock|real|container] [--watch] [--poll]
 * npm run solution N [...]  (the same specs against solutions/)
 *
 * Runs one lesson's specs against the learner's files (or the reference) and
 * prints a short summary. Exits non-zero while anything fails.
 */
import { parseArgs } from 'node:util';
import { lessonFromArg } from './lib/lesson-arg.js';
import { parseBackend, prepareBackend } from './lib/backends.js';
import { exercisesOf, printLessonReport } from './lib/report.js';
import { runSpecs } from './lib/run-specs.js';
import { recordRun } from './lib/state.js';
import { specFor } from '../manifest.js';
import { kataProject, type Target } from './lib/vitest-config.js';
import { dim } from './lib/ui.js';
import { publishToRoom } from './room/publish.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    target: { type: 'string', default: 'lessons' },
    redis: { type: 'string' },
    watch: { type: 'boolean', short: 'w', default: false },
    poll: { type: 'boolean', default: false },
  },
});

const target = (values.target === 'solutions' ? 'solutions' : 'lessons') as Target;
const command = target === 'lessons' ? 'lesson' : 'solution';
const lesson = lessonFromArg(positionals[0], command);
const backend = await prepareBackend(parseBackend(values.redis), lesson.backend);
const watch = values.watch || values.poll;

let failing = true;
await runSpecs({
  config: kataProject(target),
  specs: lesson.files.map((f) => specFor(lesson, f)),
  watch,
  poll: values.poll,
  async onRun(results, unhandled) {
    if (watch) console.clear();
    const exercises = exercisesOf(lesson, results);
    printLessonReport(lesson, target, backend.label, exercises);
    for (const error of unhandled) console.log(`\n  Unhandled error: ${error.message}`);
    const passed = exercises.reduce((n, e) => n + e.passed, 0);
    const total = exercises.reduce((n, e) => n + e.passed + e.failed, 0);
    failing = exercises.some((e) => e.failed > 0) || unhandled.length > 0;
    if (target === 'lessons') recordRun(lesson, passed, total, !failing);
    // The workshop room, if this learner joined one: at most a second, never a failure.
    if (target === 'lessons') await publishToRoom([{ lesson, exercises }]);
    if (watch) console.log(dim(`\nWatching lessons/${lesson.slug}/ for changes${values.poll ? ' (polling)' : ''}. Ctrl+C to stop.`));
  },
});

if (!watch) {
  await backend.stop();
  process.exit(failing ? 1 : 0);
}
