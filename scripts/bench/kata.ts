/**
 * The kata's own feedback loop, timed as a learner starts it: `npm run lesson N`
 * on the embedded mock for every lesson (the starters, so mostly red), and one
 * `npm test`. Goals: a lesson at most 1.2 s, `npm test` at most 20 s on a 2-core
 * machine. Wall-clock times of whole commands, median of several runs with the
 * spread, because that is what a learner waits for.
 */
import { spawnSync } from 'node:child_process';
import { lessons } from '../../manifest.js';
import { root } from '../lib/vitest-config.js';
import { median } from './support/stats.js';

export const title = 'The kata itself: npm run lesson N and npm test, as a learner starts them';

const RUNS = 5;
const LESSON_GOAL_S = 1.2;
const TEST_GOAL_S = 20;

/** Seconds one command takes, whatever its exit code (a red lesson exits 1). */
function seconds(args: string[]): number {
  const start = performance.now();
  spawnSync('npm', args, { cwd: root, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1', REDIS_URL: '' } });
  return (performance.now() - start) / 1000;
}

const row = (cells: string[]) => console.log(`| ${cells.join(' | ')} |`);

export default async function run(): Promise<void> {
  row(['command', `median of ${RUNS}`, 'spread', 'goal']);
  row(['---', '---', '---', '---']);
  for (const lesson of lessons) {
    seconds(['run', '--silent', 'lesson', String(lesson.number)]); // warm the file cache
    const times = Array.from({ length: RUNS }, () => seconds(['run', '--silent', 'lesson', String(lesson.number)]));
    const m = median(times);
    row([
      `npm run lesson ${lesson.number}`,
      `${m.toFixed(2)} s`,
      `${Math.min(...times).toFixed(2)}–${Math.max(...times).toFixed(2)} s`,
      m <= LESSON_GOAL_S ? `≤ ${LESSON_GOAL_S} s ✓` : `≤ ${LESSON_GOAL_S} s ✗`,
    ]);
  }
  const test = seconds(['test', '--silent']);
  row(['npm test', `${test.toFixed(1)} s (one run)`, '', test <= TEST_GOAL_S ? `≤ ${TEST_GOAL_S} s ✓` : `≤ ${TEST_GOAL_S} s ✗`]);
}
