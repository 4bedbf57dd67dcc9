/**
 * npm run mutation [N | provided] [-- --force | --changed REF | --redis real]: how strong are the specs?
 *
 * StrykerJS changes the reference one small edit at a time (a `<` becomes `<=`,
 * a branch is emptied, a string blanked) and runs the specs against each such
 * mutant. A mutant the specs fail on is killed; one they pass is a bug a
 * learner could ship with every spec green. The score is the share killed, and
 * every part must reach the threshold (90 %) or the command exits non-zero.
 *
 * - One Stryker run per part (each lesson's solutions/NN-*, and provided/), on
 *   the mock backend, with only the specs that can reach that part: core and
 *   deep alike. The table also shows each part's score on its core specs alone
 *   (core specs run first, and a mutant's first killer says which tier killed it).
 * - Incremental: each part's last results are kept in mutation/<part>.json,
 *   committed with the code they measured, and reused for every mutant whose
 *   code and specs did not change since (--force: run them all). What Stryker
 *   cannot see change (spec helpers, the test support, the vitest and Stryker
 *   configuration, package-lock.json) is fingerprinted in mutation/inputs.json:
 *   when it changed, the part runs in full. So CI, on a fresh clone, re-runs
 *   only what a change touched, and a committed score is never stale.
 *   Commit the files `npm run mutation` rewrites.
 * - --redis real: the parts whose specs need a real server (or cluster). On the
 *   mock those specs are skipped and kill nothing, so the mutants the mock run
 *   left alive (mutation/<part>.json) run again on the real server (REDIS_URL,
 *   and the cluster of `npm run redis:up`) with every spec of the part; kept in
 *   mutation/<part>.real.json. The part's score on a server counts a mutant
 *   killed when either run killed it. CI runs both.
 * - HTML report: reports/mutation/<part>/index.html (git-ignored).
 * - --changed REF: only the parts whose code or specs differ from REF (a change
 *   to what every part shares, such as provided/ or this tooling, runs them all).
 */
import { createHash, type Hash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from './lib/args.js';
import type { MutantResult } from '@stryker-mutator/api/core';
import { Stryker } from '@stryker-mutator/core';
import { lessons } from '../manifest.js';
import { changedSince } from './lib/git.js';
import { lessonFromArg } from './lib/lesson-arg.js';
import { strykerOptions, threshold } from './lib/mutation-options.js';
import { stableReportText } from './lib/mutation-report.js';
import { bold, dim, fail, green, red, yellow } from './lib/ui.js';
import { root } from './lib/vitest-config.js';

/** Per results file, a fingerprint of what Stryker's incremental mode cannot see (sharedInputsKey). */
const inputsFile = path.join(root, 'mutation/inputs.json');

/**
 * mutation/measured.json: per results file, a fingerprint of everything its
 * last run read (the shared inputs, the mutated code, every spec of the part,
 * and on a server the mock results it started from). When it matches, the
 * committed results are the run's results and Stryker need not start at all:
 * CI on a fresh clone of an unchanged tree checks the gate in seconds.
 */
const measuredFile = path.join(root, 'mutation/measured.json');

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
  options: { force: { type: 'boolean', default: false }, concurrency: { type: 'string' }, changed: { type: 'string' }, redis: { type: 'string' } },
});
if (values.redis !== undefined && values.redis !== 'real' && values.redis !== 'mock') fail(`--redis takes mock or real; got "${values.redis}"`);
const onServer = values.redis === 'real';

const lessonPart = (slug: string): Part => ({
  name: slug,
  mutate: [`solutions/${slug}/**/*.ts`],
  specs: [`test/${slug}/**/*.spec.ts`],
});
const providedPart: Part = { name: 'provided', mutate: ['provided/**/*.ts'], specs: providedSpecs() };

const arg = positionals[0];
const chosen: Part[] =
  arg === undefined
    ? [...lessons.map((l) => lessonPart(l.slug)), providedPart].filter((p) => !onServer || needsServer(p))
    : arg === 'provided'
      ? [providedPart]
      : [lessonPart(lessonFromArg(arg, 'mutation').slug)];
const parts = values.changed === undefined ? chosen : chosen.filter(touchedSince(values.changed));
if (parts.length === 0) {
  console.log(green(`✓ nothing the mutation run measures has changed since ${values.changed}`));
  process.exit(0);
}
if (onServer) await useServer();

interface Score {
  part: string;
  killed: number;
  survived: number;
  noCoverage: number;
  timeout: number;
  ignored: number;
  score: number;
  /** The share the core specs kill on their own. */
  coreScore: number;
  /** Whether it ran in full because something Stryker cannot see changed. */
  full: boolean;
  seconds: number;
}

const scores: Score[] = [];
/** Source lines by file, to show what each survivor changed. */
const sources = new Map<string, string[]>();
const survivors: string[] = [];
/** The parts Stryker ran this time, which have a fresh HTML report. */
const ran: string[] = [];

const inputs = readKeys(inputsFile);
const measured = readKeys(measuredFile);
for (const part of parts) {
  const reportDir = `reports/mutation/${part.name}${onServer ? '.real' : ''}`;
  const incrementalFile = `mutation/${part.name}${onServer ? '.real' : ''}.json`;
  const reportFile = path.join(root, incrementalFile);
  const inputKey = sharedInputsKey(part);
  const full = values.force || !existsSync(reportFile) || inputs[incrementalFile] !== inputKey;
  const readKey = everythingReadKey(part, inputKey);
  // Nothing the committed run read has changed (code, every spec, their imports, the options): its results stand.
  const unchanged = !full && measured[incrementalFile] === readKey;
  // On a server, only what the mock run left alive: the rest is killed already.
  const alive = onServer ? aliveOnMock(part) : null;
  if (alive !== null && alive.ranges.length === 0) {
    console.log(`${bold(`mutation: ${part.name} (real Redis)`)} ${dim('· every mutant is killed on the mock already: nothing to run on the server')}`);
    scores.push({ ...alive.mock, part: `${part.name} (real)`, full: false, seconds: 0 });
    continue;
  }
  const why = values.force
    ? '--force'
    : !existsSync(reportFile)
      ? 'no earlier results'
      : full
        ? 'in full: spec helpers, test support, configuration or dependencies changed'
        : unchanged
          ? 'unchanged since its committed results: nothing to run'
          : 'incremental';
  console.log(`${bold(`mutation: ${part.name}${onServer ? ' (real Redis)' : ''}`)} ${dim(`· ${part.mutate.join(', ')} · ${why}`)}`);
  process.env.CACHELINGS_MUTATION_SPECS = part.specs.join(',');
  const started = performance.now();
  let results: MutantResult[];
  if (unchanged) {
    results = resultsIn(incrementalFile);
  } else {
    const concurrency = values.concurrency ? Number(values.concurrency) : undefined;
    const options = strykerOptions({ mutate: alive?.ranges ?? part.mutate, incrementalFile, force: full, reportDir, concurrency });
    const committed = existsSync(reportFile) ? readFileSync(reportFile, 'utf8') : null;
    results = await new Stryker(options).runMutationTest();
    ran.push(reportDir);
    // Rewritten only when its content changed, in a stable order (Stryker numbers things in the order a run meets them).
    if (existsSync(reportFile)) {
      const written = readFileSync(reportFile, 'utf8');
      const kept = stableReportText(committed, written);
      if (kept !== written) writeFileSync(reportFile, kept);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  if (alive !== null) results = results.filter((r) => alive.ids.has(mutantId(r)));
  scores.push(alive === null ? scoreOf(part.name, results, coreKilledIn(incrementalFile), full, seconds) : onServerScore(part.name, alive.mock, results, full, seconds));
  inputs[incrementalFile] = inputKey;
  writeKeys(inputsFile, inputs);
  measured[incrementalFile] = readKey;
  writeKeys(measuredFile, measured);
  survivors.push(...results.filter((r) => r.status === 'Survived' || r.status === 'NoCoverage').map(describe));
}

console.log();
console.log(bold('part                     mutants  killed  timeout  survived  no cover  ignored    score  core only   time'));
for (const s of scores) {
  const total = s.killed + s.timeout + s.survived + s.noCoverage + s.ignored;
  const pct = (n: number) => `${n.toFixed(1)} %`;
  const paint = s.score >= threshold ? green : red;
  console.log(
    `${s.part.padEnd(24)} ${String(total).padStart(7)}  ${String(s.killed).padStart(6)}  ${String(s.timeout).padStart(7)}  ` +
      `${String(s.survived).padStart(8)}  ${String(s.noCoverage).padStart(8)}  ${String(s.ignored).padStart(7)}  ${paint(pct(s.score).padStart(7))}  ${pct(s.coreScore).padStart(9)}  ${s.seconds.toFixed(0).padStart(4)} s${s.full ? dim(' (full)') : ''}`,
  );
}
console.log(dim(`score: killed and timed out, of all mutants but the ignored (there are none: no mutant is hidden); core only: killed by the core specs alone.`));
if (survivors.length > 0) {
  console.log(`\n${bold('Survivors')} ${dim('(the specs pass with these changes: each is a bug a learner could ship)')}`);
  for (const line of survivors) console.log(`  ${line}`);
}
const below = scores.filter((s) => s.score < threshold);
if (ran.length > 0) console.log(dim(`\nHTML reports: ${ran.map((dir) => `${dir}/index.html`).join(', ')}`));
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

function scoreOf(part: string, results: MutantResult[], coreKilled: number, full: boolean, seconds: number): Score {
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
    coreScore: valid === 0 ? 100 : (coreKilled / valid) * 100,
    full,
    seconds,
  };
}

/**
 * How many of a part's mutants its core specs kill on their own, from the
 * results file Stryker just wrote. Core specs run first (the sequencer in
 * scripts/lib/mutation.vitest.config.ts) and a mutant's run stops at its first
 * failure, so a mutant the core kills names a core test among its killers; a
 * mutant that timed out counts as killed by whichever ran first, the core.
 */
function coreKilledIn(incrementalFile: string): number {
  interface Report {
    testFiles?: Record<string, { tests: Array<{ id: string }> }>;
    files?: Record<string, { mutants: Array<{ status: string; killedBy?: string[] }> }>;
  }
  let report: Report;
  try {
    report = JSON.parse(readFileSync(path.join(root, incrementalFile), 'utf8')) as Report;
  } catch {
    return 0;
  }
  const core = new Set<string>();
  for (const [file, { tests }] of Object.entries(report.testFiles ?? {})) {
    if (!file.endsWith('.deep.spec.ts')) for (const t of tests) core.add(t.id);
  }
  return Object.values(report.files ?? {})
    .flatMap((f) => f.mutants)
    .filter((m) => m.status === 'Timeout' || (m.status === 'Killed' && (m.killedBy ?? []).some((id) => core.has(id)))).length;
}

/** A result's file, relative to the checkout (Stryker's results name it either way). */
function repoPath(result: MutantResult): string {
  return path.relative(root, path.resolve(root, result.fileName));
}

/** A mutant by what it is (file, place, kind, replacement), the same in every report of it. */
function mutantId(m: MutantResult): string {
  return `${repoPath(m)}:${m.location.start.line}:${m.location.start.column}:${m.mutatorName}:${m.replacement ?? ''}`;
}

/** The mutants a results file holds, each with the file it mutates. */
function resultsIn(incrementalFile: string): MutantResult[] {
  const report = JSON.parse(readFileSync(path.join(root, incrementalFile), 'utf8')) as { files: Record<string, { mutants: MutantResult[] }> };
  return Object.entries(report.files).flatMap(([fileName, f]) => f.mutants.map((m) => ({ ...m, fileName })));
}

/**
 * The mutants the mock run of a part left alive (survived, or no spec ran them):
 * their ids, the `file:line:column-line:column` ranges Stryker mutates (it reads
 * a range's columns from 0, its report's from 1), and the mock run's score to
 * build on. A range also holds the smaller mutants inside it: they run again
 * too, which costs a little and changes no count.
 */
function aliveOnMock(part: Part): { ids: Set<string>; ranges: string[]; mock: Score } {
  const file = `mutation/${part.name}.json`;
  if (!existsSync(path.join(root, file))) fail(`${file} is missing: run npm run mutation ${part.name} (on the mock) first`);
  const all = resultsIn(file);
  const alive = all.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage');
  const ranges = alive.map(({ fileName, location: { start, end } }) => `${fileName}:${start.line}:${start.column - 1}-${end.line}:${end.column - 1}`);
  return { ids: new Set(alive.map(mutantId)), ranges: [...new Set(ranges)], mock: scoreOf(part.name, all, coreKilledIn(file), false, 0) };
}

/** A part's score on a server: the mock's, with the mutants it left alive that the server's run killed (`here`: those mutants only). */
function onServerScore(part: string, mock: Score, here: MutantResult[], full: boolean, seconds: number): Score {
  const count = (status: MutantResult['status']) => here.filter((r) => r.status === status).length;
  const killed = mock.killed + count('Killed');
  const timeout = mock.timeout + count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const valid = killed + timeout + survived + noCoverage;
  return { ...mock, part: `${part} (real)`, killed, timeout, survived, noCoverage, score: valid === 0 ? 100 : ((killed + timeout) / valid) * 100, full, seconds };
}

/** Whether a part has specs that run only on a real server (or a cluster): those kill nothing on the mock. */
function needsServer(part: Part): boolean {
  const dirs = part.specs.map((glob) => glob.replace(/\/\*\*.*$/, ''));
  return dirs.some((dir) => {
    const full = path.join(root, dir);
    return existsSync(full) && readdirSync(full).some((f) => f.endsWith('.ts') && /onRealRedis\(|onCluster\(|startRedisServer|withOwnCluster/.test(readFileSync(path.join(full, f), 'utf8')));
  });
}

/** Points the mutants' specs at the real server and, when one answers, the cluster (as the runner does for --redis real). */
async function useServer(): Promise<void> {
  const { prepareBackend } = await import('./lib/backends.js');
  await prepareBackend('real', 'cluster');
}

/**
 * What a part's specs run on that Stryker's incremental mode does not compare:
 * the files the specs and the mutated code import (helpers beside the specs, the
 * test support, provided/, other lessons' references), followed import by import,
 * the configuration, and the installed packages' versions. A change there can
 * change any result, so the part runs in full; a file no spec of the part reaches
 * cannot, so adding or editing it leaves the part's results standing.
 */
function sharedInputsKey(part: Part): string {
  const hash = createHash('sha1');
  const mutated = new Set(part.mutate.flatMap((glob) => filesUnder(glob)));
  const specs = part.specs.flatMap((glob) => filesUnder(glob)).filter((f) => f.endsWith('.spec.ts'));
  const reached = importedFiles([...specs, ...mutated]);
  const files = [
    'vitest.config.ts',
    'scripts/lib/mutation-options.ts',
    'scripts/lib/mutation.vitest.config.ts',
    'scripts/lib/vitest-config.ts',
    'test/support/setup.ts',
    ...[...reached].filter((f) => !mutated.has(f) && !f.endsWith('.spec.ts')),
  ];
  hashFiles(hash, files);
  hash.update(installedVersions());
  return hash.digest('hex');
}

/** The .ts files in the folder a glob starts with (`test/05-invalidation` for `test/05-invalidation/` + `**`), in depth. */
function filesUnder(glob: string): string[] {
  const dir = glob.replace(/\/\*\*.*$/, '');
  const full = path.join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${dir}/${f.split(path.sep).join('/')}`);
}

/** Every repository file reached from these files by relative or @kata/ imports. */
function importedFiles(start: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...start];
  const specifier = /(?:from|import)\s*\(?\s*'((?:\.|@kata\/)[^']+)'/g;
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file) || !existsSync(path.join(root, file))) continue;
    seen.add(file);
    for (const [, spec] of readFileSync(path.join(root, file), 'utf8').matchAll(specifier)) {
      const target = spec.startsWith('@kata/') ? `solutions/${spec.slice('@kata/'.length)}` : path.posix.join(path.posix.dirname(file), spec);
      queue.push(target.replace(/\.js$/, '.ts'));
    }
  }
  return seen;
}

/** Name and version of every installed package: what package-lock.json says, without the flags npm rewrites. */
function installedVersions(): string {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  return Object.entries(lock.packages)
    .map(([where, pkg]) => `${where}@${pkg.version ?? ''}`)
    .sort()
    .join('\n');
}

/** A fingerprint file (mutation/inputs.json, mutation/measured.json): results file → key. */
function readKeys(file: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

/** Writes a fingerprint file sorted, and only when its content changed. */
function writeKeys(file: string, keys: Record<string, string>): void {
  const text = `${JSON.stringify(Object.fromEntries(Object.entries(keys).sort(([a], [b]) => a.localeCompare(b))), null, 2)}\n`;
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeFileSync(file, text);
}

/** Adds each file's name and text (line endings as in a checkout on any system) to a hash, in a stable order. */
function hashFiles(hash: Hash, files: string[]): void {
  for (const file of [...new Set(files)].sort()) hash.update(file).update('\0').update(readFileSync(path.join(root, file), 'utf8').replace(/\r\n/g, '\n')).update('\0');
}

/** The key of mutation/measured.json: the shared inputs, the mutated code, every spec file of the part (and, on a server, the mock results). */
function everythingReadKey(part: Part, inputKey: string): string {
  const hash = createHash('sha1').update(inputKey);
  const files = [...part.mutate.flatMap((glob) => filesUnder(glob)), ...part.specs.flatMap((glob) => filesUnder(glob))];
  if (onServer) files.push(`mutation/${part.name}.json`);
  hashFiles(hash, files);
  return hash.digest('hex');
}

function describe(result: MutantResult): string {
  const file = repoPath(result);
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
