/**
 * npm test: what CI and maintainers run. Proves the kata both ways:
 * - starters and solutions type-check against the specs;
 * - every solution passes its specs (on ioredis-mock, or --redis real);
 * - every starter file fails at least one test of its spec: a starter that
 *   passes untouched is a broken lesson, and this fails on it.
 *
 * npm run test:redis (--redis real): the solutions of the Redis lessons, and the
 * kata's own specs, against a real Redis (and the cluster where one answers).
 *
 * npm run test:commands (--commands): the kata's commands end to end, in
 * test/commands/: each spec types a real `npm run …`, starts redis-servers or
 * probes ports, so they take most of a minute of CPU between them. They are
 * kept out of npm test, which a maintainer runs after every change; CI runs both.
 * The last line is the totals: "N passed, N failed, N skipped".
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from './lib/args.js';
import { lessons, specFor } from '../manifest.js';
import { specsOf } from './lib/tiers.js';
import { neededBackend, parseBackend, prepareBackend } from './lib/backends.js';
import type { SpecResult, TestOutcome } from './lib/run-specs.js';
import { runSpecs } from './lib/run-specs.js';
import { typecheck } from './lib/typecheck.js';
import { bold, dim, green, mark, red, yellow } from './lib/ui.js';
import { kataProject } from './lib/vitest-config.js';

const { values } = parseArgs({ options: { redis: { type: 'string' }, commands: { type: 'boolean', default: false } } });
const choice = parseBackend(values.redis);
const onServer = choice !== 'mock';
/** The end-to-end specs of the kata's commands: npm test leaves them to npm run test:commands. */
const commandSpecs = 'test/commands/**/*.spec.ts';

// On a server only the lessons that use Redis are worth a second run; test:commands runs none.
const lessonsHere = values.commands ? [] : onServer ? lessons.filter((l) => l.backend !== 'none') : lessons;
// On a server, the kata's own specs also try the cluster: it is used when one answers, skipped loudly when not.
const backend = await prepareBackend(choice, onServer ? 'cluster' : neededBackend(lessonsHere));
const title = values.commands
  ? 'npm run test:commands'
  : { mock: 'npm test', real: 'npm run test:redis', container: 'npm test -- --redis container' }[choice];
console.log(`${bold(`cachelings: ${title}`)} ${dim(`· backend: ${backend.label}`)}`);

// Solutions run both tiers; starters must be red on their core.
const lessonSpecs = lessonsHere.flatMap((l) => specsOf(l, l.files, true));
const coreSpecs = lessonsHere.flatMap((l) => specsOf(l, l.files, false));
const typechecks = onServer || values.commands ? [] : [typecheck('tsconfig.json'), typecheck('tsconfig.lessons.json')];
const results = await runSpecs({
  config: {
    test: {
      // vitest leaves a core to itself by default; here the main process only collects results.
      maxWorkers: availableParallelism(),
      projects: values.commands
        ? [kataProject('solutions', [commandSpecs])]
        : onServer
          ? [kataProject('solutions', [...lessonSpecs, 'test/engine/**/*.spec.ts'])]
          : [withoutCommands(kataProject('solutions')), kataProject('lessons', coreSpecs)],
    },
  },
});
await backend.stop();

let passed = 0;
let failed = 0;
let skipped = 0;
const problems: string[] = [];

// 1. Types
for (const t of await Promise.all(typechecks)) {
  const what = t.config === 'tsconfig.json' ? 'solutions, specs and scripts' : 'starters against the specs';
  if (t.ok) passed++;
  else {
    failed++;
    problems.push(`tsc -p ${t.config} (${what}) fails:\n${t.output}`);
  }
  console.log(`  ${t.ok ? mark.pass : mark.fail} type-check: ${what}`);
}

// 2. Solutions green
const solutionResults = results.filter((r) => r.project === 'solutions');
const bySpec = new Map(solutionResults.map((r) => [r.spec, r]));
const greenLine = (label: string, specs: SpecResult[]) => {
  const tests = specs.flatMap((s) => s.tests);
  const bad = tests.filter((t) => t.state === 'failed');
  const skips = tests.filter((t) => t.state === 'skipped');
  const errors = specs.flatMap((s) => s.errors.map((e) => `${s.spec}: ${e.message}`));
  const ok = tests.length - bad.length - skips.length;
  passed += ok;
  failed += bad.length + errors.length;
  skipped += skips.length;
  for (const t of bad) problems.push(describeFailure(specs, t));
  problems.push(...errors);
  const state = bad.length + errors.length > 0 ? mark.fail : mark.pass;
  const skipNote = skips.length > 0 ? yellow(` (${skips.length} skipped on this backend)`) : '';
  // Never skip silently: each skipped test's name says why and how to run it.
  const skipList = skips.map((t) => `\n      ${mark.skip} ${dim(t.name)}`).join('');
  return { line: `  ${state} ${label}: ${ok}/${tests.length - skips.length} pass${skipNote}`, skipList };
};

for (const lesson of lessonsHere) {
  const specs = specsOf(lesson, lesson.files, true);
  const ran = specs.map((s) => bySpec.get(s)).filter((r): r is SpecResult => r !== undefined);
  for (const s of specs) {
    if (!bySpec.has(s)) {
      failed++;
      problems.push(`${s} did not run (is it missing?)`);
    }
  }
  const solution = greenLine(`${lesson.slug.padEnd(24)} solution`, ran);
  let line = solution.line;

  // 3. Starters red, file by file
  if (!onServer) {
    const redFiles = lesson.files.filter((file) => {
      const r = results.find((x) => x.project === 'lessons' && x.spec === specFor(lesson, file));
      return r !== undefined && (r.errors.length > 0 || r.tests.some((t) => t.state === 'failed'));
    });
    const broken = lesson.files.filter((f) => !redFiles.includes(f));
    passed += redFiles.length;
    failed += broken.length;
    for (const file of broken) {
      problems.push(`lessons/${lesson.slug}/${file} passes ${specFor(lesson, file)} untouched: a broken lesson (a starter must fail at least one test)`);
    }
    line += ` · starter red in ${redFiles.length}/${lesson.files.length} files ${broken.length > 0 ? mark.fail : mark.pass}`;
  }
  console.log(line + solution.skipList);
}

// 4. The kata's own specs (manifest, README, compose file, key isolation) and provided/'s
const lessonSpecSet = new Set(lessons.flatMap((l) => specsOf(l, l.files, true)));
const engine = solutionResults.filter((r) => !lessonSpecSet.has(r.spec));
if (engine.length > 0) {
  const label = values.commands
    ? 'the commands end to end (test/commands)'
    : onServer
      ? 'the kata itself (test/engine)'.padEnd(33)
      : 'the kata itself (test/engine, test/provided)';
  const { line, skipList } = greenLine(label, engine);
  console.log(line + skipList);
}

if (problems.length > 0) {
  console.log(`\n${red(bold(`${problems.length} problem${problems.length === 1 ? '' : 's'}:`))}`);
  for (const p of problems) console.log(`\n${p.replace(/^/gm, '  ')}`);
}
console.log('');
const verdict = values.commands
  ? 'All green: every command does what the README says.'
  : onServer
    ? 'All green: every solution passes on the server.'
    : 'All green: every solution passes and every starter is red.';
console.log(failed === 0 ? green(bold(verdict)) : red(bold('Not green.')));
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 ? 0 : 1);

/** A project without the specs of test/commands/ (and, as vitest's default, node_modules). */
function withoutCommands(project: ReturnType<typeof kataProject>): ReturnType<typeof kataProject> {
  return { ...project, test: { ...project.test, exclude: ['**/node_modules/**', commandSpecs] } };
}

function describeFailure(specs: SpecResult[], test: TestOutcome): string {
  const spec = specs.find((s) => s.tests.includes(test))?.spec ?? '?';
  const error = test.error;
  const where = error?.stacks?.find((f) => f.file.includes('/test/') || f.file.includes('/solutions/'));
  const at = where ? `\n  at ${where.file.replace(/^.*?\/(test|solutions)\//, '$1/')}:${where.line}` : '';
  return `${red('✗')} ${spec} › ${test.name}\n  ${error?.message ?? ''}${error?.diff ? `\n${error.diff}` : ''}${at}`;
}
