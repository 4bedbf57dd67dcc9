/**
 * The kata's own feedback loop, timed as a learner meets it (issue 30's table):
 * `npm run lesson N` on the starters of every lesson, one exercise against
 * vitest alone on the same spec file, the time from a save to the new report
 * under --watch, and `npm test`. Each figure is the median of 5 runs (or --runs N) with
 * its spread, beside its goal; then where the time of a lesson run goes
 * (CACHELINGS_TIMING=1: the phases scripts/lib/timing.mjs marks).
 *
 * `npm run bench kata -- --quick` times one lesson run per lesson and no npm test;
 * `-- --runs 15` takes more runs per figure, for a median a noisy machine cannot move.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lessons } from '../../manifest.js';
import type { BenchOptions } from '../bench.js';
import { root } from '../lib/vitest-config.js';
import { median } from './support/stats.js';

export const title = 'The kata itself: npm run lesson N, one exercise, a save under --watch, npm test';

const goals = { lesson: 2.0, exerciseOverVitest: 0.25, watch: 0.4, test: 30 };
const env = { ...process.env, NO_COLOR: '1', REDIS_URL: '', CACHELINGS_STATE_DIR: path.join(root, '.cachelings/bench-state') };

/** Seconds one command takes, whatever its exit code (a red lesson exits 1). */
function seconds(command: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): number {
  const start = performance.now();
  spawnSync(command, args, { cwd: root, stdio: 'ignore', env: { ...env, ...extraEnv } });
  return (performance.now() - start) / 1000;
}

function timed(times: number[]): { median: number; spread: string } {
  return { median: median(times), spread: `${Math.min(...times).toFixed(2)}–${Math.max(...times).toFixed(2)} s` };
}

const row = (cells: string[]) => console.log(`| ${cells.join(' | ')} |`);
const verdict = (value: number, goal: number, unit = 's') => `≤ ${goal} ${unit} ${value <= goal ? '✓' : '✗'}`;

/** Milliseconds from a save of a starter to the first line of the new report, under --watch. */
async function watchLatency(runs: number): Promise<number[]> {
  const file = path.join(root, 'lessons/01-memoization/cache-key.ts');
  const original = readFileSync(file, 'utf8');
  const child = spawn(process.execPath, ['scripts/run.mjs', 'lesson', '1', '--watch'], { cwd: root, env });
  let output = '';
  const waiters: Array<{ test: (text: string) => boolean; resolve: () => void }> = [];
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    for (const w of waiters.splice(0)) (w.test(output) ? w.resolve : () => waiters.push(w))();
  });
  const until = (test: (text: string) => boolean) => new Promise<void>((resolve) => (test(output) ? resolve() : waiters.push({ test, resolve })));
  const latencies: number[] = [];
  try {
    await until((text) => text.includes('Watching lessons/01-memoization/'));
    for (let i = 0; i < runs; i++) {
      output = '';
      await new Promise((r) => setTimeout(r, 300));
      const saved = performance.now();
      writeFileSync(file, `${original}\n// save ${i}\n`);
      await until((text) => /Lesson 1: /.test(text));
      latencies.push(performance.now() - saved);
      await until((text) => text.includes('Watching lessons/01-memoization/'));
    }
  } finally {
    writeFileSync(file, original);
    child.kill('SIGINT');
  }
  return latencies;
}

/** The phases of one `npm run lesson N` (scripts/lib/timing.mjs), median wall-clock ms of each. */
function phases(lesson: number, runs: number): Map<string, number[]> {
  const found = new Map<string, number[]>();
  for (let i = 0; i < runs; i++) {
    const run = spawnSync(process.execPath, ['scripts/run.mjs', 'lesson', String(lesson)], { cwd: root, env: { ...env, CACHELINGS_TIMING: '1' }, encoding: 'utf8' });
    for (const m of run.stderr.matchAll(/^timing: (.+): (\d+) ms \(cpu (\d+) ms\)$/gm)) {
      const list = found.get(m[1]!) ?? [];
      list.push(Number(m[2]));
      found.set(m[1]!, list);
    }
  }
  return found;
}

export default async function run(options: BenchOptions): Promise<void> {
  const quick = options.quick === true;
  const runs = options.runs !== undefined ? Math.max(1, Number.parseInt(options.runs, 10) || 5) : quick ? 1 : 5;
  row(['command', `median of ${runs}`, 'spread', 'goal']);
  row(['---', '---', '---', '---']);
  for (const lesson of lessons) {
    seconds('npm', ['run', '--silent', 'lesson', String(lesson.number)]); // warm the file cache
    const t = timed(Array.from({ length: runs }, () => seconds('npm', ['run', '--silent', 'lesson', String(lesson.number)])));
    row([`npm run lesson ${lesson.number}`, `${t.median.toFixed(2)} s`, t.spread, verdict(t.median, goals.lesson)]);
  }

  const spec = 'test/01-memoization/cache-key.spec.ts';
  // In turns, so that a machine that slows down for a while slows both alike.
  const exerciseTimes: number[] = [];
  const vitestTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    exerciseTimes.push(seconds('npm', ['run', '--silent', 'lesson', '1', 'cache-key']));
    vitestTimes.push(seconds(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', spec], { CACHELINGS_TARGET: 'lessons' }));
  }
  const exercise = timed(exerciseTimes);
  const vitest = timed(vitestTimes);
  row(['npm run lesson 1 cache-key', `${exercise.median.toFixed(2)} s`, exercise.spread, '']);
  row([`vitest alone on ${spec}`, `${vitest.median.toFixed(2)} s`, vitest.spread, '']);
  const over = exercise.median - vitest.median;
  row(['one exercise over vitest alone', `${over.toFixed(2)} s`, '', verdict(over, goals.exerciseOverVitest)]);

  const watch = timed((await watchLatency(runs)).map((ms) => ms / 1000));
  row(['--watch: a save to the new report', `${watch.median.toFixed(2)} s`, watch.spread, verdict(watch.median, goals.watch)]);

  if (!quick) {
    const test = timed(Array.from({ length: Math.min(runs, 3) }, () => seconds('npm', ['test', '--silent'])));
    row([`npm test (median of ${Math.min(runs, 3)})`, `${test.median.toFixed(1)} s`, test.spread, verdict(test.median, goals.test)]);
  }

  for (const lesson of [1, 7, 11]) {
    console.log(`\nWhere a run of npm run lesson ${lesson} goes (milliseconds since node started, median of ${runs}):`);
    // In the order they happen (a run that reused the type-check and one that ran it mark different phases).
    const ordered = [...phases(lesson, runs)].sort(([, a], [, b]) => median(a) - median(b));
    for (const [phase, times] of ordered) console.log(`  ${phase.padEnd(22)} ${String(Math.round(median(times))).padStart(6)} ms`);
  }
}
