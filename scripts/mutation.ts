/**
 * npm run mutation [N | provided] [-- --force]: how strong are the specs?
 *
 * StrykerJS changes the reference one small edit at a time (a `<` becomes `<=`,
 * a branch is emptied, a string blanked) and runs the specs against each such
 * mutant. A mutant the specs fail on is killed; one they pass is a bug a
 * learner could ship with every spec green. The score is the share killed, and
 * every part must reach the threshold (90 %) or the command exits non-zero.
 *
 * - One Stryker run per part (each lesson's solutions/NN-*, and provided/), on
 *   the mock backend, with only the specs that can reach that part.
 * - Incremental: each part's last results are kept in mutation/<part>.json,
 *   committed with the code they measured, and reused for every mutant whose
 *   code and specs did not change since (--force: run them all). So CI, on a
 *   fresh clone, re-runs only what a change touched; a stale file costs time,
 *   never a wrong score. Commit the file `npm run mutation` rewrites.
 * - HTML report: reports/mutation/<part>/index.html (git-ignored).
 * - --changed REF: only the parts whose code or specs differ from REF (a change
 *   to what every part shares, such as provided/ or this tooling, runs them all).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from './lib/args.js';
import type { MutantResult, PartialStrykerOptions } from '@stryker-mutator/api/core';
import { Stryker } from '@stryker-mutator/core';
import { lessons } from '../manifest.js';
import { changedSince } from './lib/git.js';
import { lessonFromArg } from './lib/lesson-arg.js';
import { stableReportText } from './lib/mutation-report.js';
import { bold, dim, fail, green, red, yellow } from './lib/ui.js';
import { root } from './lib/vitest-config.js';

/** The least share of mutants each part's specs must kill, in percent. */
export const threshold = 90;

interface Part {
  /** 'provided' or the lesson's slug. */
  name: string;
  /** The files Stryker mutates. */
  mutate: string[];
  /** The specs that may reach them (vitest's related mode narrows them further). */
  specs: string[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { force: { type: 'boolean', default: false }, concurrency: { type: 'string' }, changed: { type: 'string' } },
});

const lessonPart = (slug: string): Part => ({
  name: slug,
  mutate: [`solutions/${slug}/**/*.ts`],
  specs: [`test/${slug}/**/*.spec.ts`],
});
const providedPart: Part = { name: 'provided', mutate: ['provided/**/*.ts'], specs: providedSpecs() };

const arg = positionals[0];
const chosen: Part[] =
  arg === undefined
    ? [...lessons.map((l) => lessonPart(l.slug)), providedPart]
    : arg === 'provided'
      ? [providedPart]
      : [lessonPart(lessonFromArg(arg, 'mutation').slug)];
const parts = values.changed === undefined ? chosen : chosen.filter(touchedSince(values.changed));
if (parts.length === 0) {
  console.log(green(`✓ nothing the mutation run measures has changed since ${values.changed}`));
  process.exit(0);
}

interface Score {
  part: string;
  killed: number;
  survived: number;
  noCoverage: number;
  timeout: number;
  ignored: number;
  score: number;
  seconds: number;
}

const scores: Score[] = [];
/** Source lines by file, to show what each survivor changed. */
const sources = new Map<string, string[]>();
const survivors: string[] = [];

for (const part of parts) {
  const reportDir = `reports/mutation/${part.name}`;
  console.log(`${bold(`mutation: ${part.name}`)} ${dim(`· ${part.mutate.join(', ')}`)}`);
  process.env.CACHELINGS_MUTATION_SPECS = part.specs.join(',');
  const options: PartialStrykerOptions = {
    testRunner: 'vitest',
    vitest: { configFile: 'scripts/lib/mutation.vitest.config.ts', related: true },
    plugins: ['@stryker-mutator/vitest-runner'],
    mutate: part.mutate,
    coverageAnalysis: 'perTest',
    incremental: true,
    incrementalFile: `mutation/${part.name}.json`,
    force: values.force,
    concurrency: values.concurrency ? Number(values.concurrency) : undefined,
    reporters: ['html', ...(process.stdout.isTTY ? ['progress'] : [])],
    htmlReporter: { fileName: `${reportDir}/index.html` },
    ignorePatterns: ['.node', '.cachelings', 'reports', 'mutation', 'lessons', '*.log'],
    tempDirName: '.stryker-tmp',
    // Stryker rewrites the sandbox's tsconfig with TypeScript's JS API, which TypeScript 7 (the
    // native compiler) does not have. Ours needs no rewriting (no references, no extends): skip it.
    tsconfigFile: 'no-tsconfig-rewrite.json',
    logLevel: 'warn' as PartialStrykerOptions['logLevel'], // LogLevel is a const enum, which isolatedModules cannot import
    fileLogLevel: 'off' as PartialStrykerOptions['fileLogLevel'],
    // The threshold is checked below, per part, so that one report covers them all.
    thresholds: { high: 95, low: threshold, break: null },
  };
  const started = performance.now();
  const incrementalFile = path.join(root, `mutation/${part.name}.json`);
  const committed = existsSync(incrementalFile) ? readFileSync(incrementalFile, 'utf8') : null;
  const results = await new Stryker(options).runMutationTest();
  // Rewritten only when its content changed, in a stable order (Stryker numbers things in the order a run meets them).
  if (existsSync(incrementalFile)) {
    const written = readFileSync(incrementalFile, 'utf8');
    const kept = stableReportText(committed, written);
    if (kept !== written) writeFileSync(incrementalFile, kept);
  }
  const seconds = (performance.now() - started) / 1000;
  scores.push(scoreOf(part.name, results, seconds));
  survivors.push(...results.filter((r) => r.status === 'Survived' || r.status === 'NoCoverage').map(describe));
}

console.log();
console.log(bold('part                     mutants  killed  survived  no cover  score   time'));
for (const s of scores) {
  const total = s.killed + s.timeout + s.survived + s.noCoverage;
  const pct = `${s.score.toFixed(1)} %`;
  const paint = s.score >= threshold ? green : red;
  console.log(
    `${s.part.padEnd(24)} ${String(total).padStart(7)}  ${String(s.killed + s.timeout).padStart(6)}  ` +
      `${String(s.survived).padStart(8)}  ${String(s.noCoverage).padStart(8)}  ${paint(pct.padStart(7))}  ${s.seconds.toFixed(0).padStart(4)} s`,
  );
}
if (survivors.length > 0) {
  console.log(`\n${bold('Survivors')} ${dim('(the specs pass with these changes: each is a bug a learner could ship)')}`);
  for (const line of survivors) console.log(`  ${line}`);
}
const below = scores.filter((s) => s.score < threshold);
console.log(dim(`\nHTML reports: ${parts.map((p) => `reports/mutation/${p.name}/index.html`).join(', ')}`));
if (below.length > 0) {
  console.log(red(`✗ below ${threshold} %: ${below.map((s) => `${s.part} (${s.score.toFixed(1)} %)`).join(', ')}`));
  process.exitCode = 1;
} else {
  console.log(green(`✓ every part kills at least ${threshold} % of its mutants`));
}

/**
 * The specs of provided/: its own, in test/provided/ (test/provided/<file>.spec.ts
 * for provided/<file>.ts). A file of given code without one there is measured
 * with the specs of the lessons whose solutions import it; a file that only
 * re-exports a lesson's solution has nothing to mutate.
 */
function providedSpecs(): string[] {
  const specs = new Set(['test/provided/**/*.spec.ts']);
  const reExports = /export\s*\{[^}]*\}\s*from\s*'\.\.\/solutions\/[^']+';/g;
  for (const file of readdirSync(path.join(root, 'provided')).filter((f) => f.endsWith('.ts'))) {
    const code = readFileSync(path.join(root, 'provided', file), 'utf8').replace(/^\s*\/\/.*$/gm, '');
    if (code.replace(reExports, '').trim() === '') continue;
    if (existsSync(path.join(root, 'test/provided', file.replace(/\.ts$/, '.spec.ts')))) continue;
    const imported = `provided/${file.replace(/\.ts$/, '.js')}`;
    for (const lesson of lessons) {
      const dir = path.join(root, 'solutions', lesson.slug);
      const uses = readdirSync(dir).some((f) => f.endsWith('.ts') && readFileSync(path.join(dir, f), 'utf8').includes(imported));
      if (uses) specs.add(`test/${lesson.slug}/**/*.spec.ts`);
    }
  }
  return [...specs];
}

/** Which parts a change since `ref` can move: its own solutions and specs, or anything every part shares. */
function touchedSince(ref: string): (part: Part) => boolean {
  const files = changedSince(ref);
  if (files === null) fail(`--changed ${ref}: git cannot compare with it (is it a commit, and is this a git checkout?)`);
  // provided/ re-exports some lessons' solutions: a change there reaches every lesson that uses provided/.
  const shared = ['provided/', 'test/support/', 'package-lock.json', 'scripts/mutation.ts', 'scripts/lib/mutation.vitest.config.ts', 'scripts/lib/vitest-config.ts'];
  for (const file of readdirSync(path.join(root, 'provided')).filter((f) => f.endsWith('.ts'))) {
    for (const [, slug] of readFileSync(path.join(root, 'provided', file), 'utf8').matchAll(/\.\.\/solutions\/([^/]+)\//g)) {
      shared.push(`solutions/${slug}/`);
    }
  }
  if (files.some((f) => shared.some((s) => f.startsWith(s)))) return () => true;
  return (part) =>
    files.some((f) => part.mutate.some((glob) => f.startsWith(glob.replace(/\*\*.*$/, ''))) || part.specs.some((glob) => f.startsWith(glob.replace(/\*\*.*$/, ''))));
}

function scoreOf(part: string, results: MutantResult[], seconds: number): Score {
  const count = (status: MutantResult['status']) => results.filter((r) => r.status === status).length;
  const killed = count('Killed');
  const timeout = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const detected = killed + timeout;
  const valid = detected + survived + noCoverage;
  return {
    part,
    killed,
    survived,
    noCoverage,
    timeout,
    ignored: count('Ignored'),
    score: valid === 0 ? 100 : (detected / valid) * 100,
    seconds,
  };
}

function describe(result: MutantResult): string {
  const file = path.relative(root, path.resolve(root, result.fileName));
  if (!sources.has(file)) {
    const full = path.join(root, file);
    sources.set(file, existsSync(full) ? readFileSync(full, 'utf8').split('\n') : []);
  }
  const { start, end } = result.location;
  const lines = sources.get(file)!;
  const original =
    start.line === end.line
      ? (lines[start.line - 1] ?? '').slice(start.column - 1, end.column - 1)
      : `${(lines[start.line - 1] ?? '').slice(start.column - 1).trim()} …`;
  const status = result.status === 'NoCoverage' ? yellow('no spec runs it') : yellow('survived');
  const shorten = (text: string) => (text.length > 70 ? `${text.slice(0, 67)}…` : text).replace(/\s+/g, ' ');
  return `${file}:${start.line}:${start.column} ${status} ${result.mutatorName}: ${dim(shorten(original))} → ${shorten(result.replacement ?? '')}`;
}
