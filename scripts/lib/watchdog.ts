/**
 * A spec that never returns: `while (this.size > 0) {}` in a learner's code
 * blocks the worker that runs it, and vitest's timeout, a timer in that same
 * worker, can never fire. The runner would print its banner and then nothing,
 * forever.
 *
 * So each worker writes down the test it is about to run, synchronously
 * (test/support/setup.ts, when CACHELINGS_WATCHDOG_DIR is set), and this
 * watchdog, in the runner's main thread, which a blocked worker cannot block,
 * looks at those notes twice a second. A test still running a few seconds
 * past its own timeout has never given the event loop back: an endless loop.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** How long past its own timeout a test may run before it counts as stuck: a timeout that can fire fires within this. */
export const graceMs = 3_000;

/** What a worker notes before each test (test/support/setup.ts writes it). */
export interface RunningTest {
  /** The how-manieth test of that worker: a new number is a new test. */
  seq: number;
  /** The spec file, relative to the repository. */
  spec: string;
  /** describe > test */
  name: string;
  timeoutMs: number;
}

export interface Stuck extends RunningTest {
  runningMs: number;
}

export interface Watchdog {
  /** The directory the workers write to (passed to them as CACHELINGS_WATCHDOG_DIR). */
  dir: string;
  /** Forget every note: a new run starts. */
  reset(): void;
  stop(): void;
}

/** Watches the workers' notes; calls onStuck (once) with the first test that has run past its timeout plus the grace. */
export function startWatchdog(onStuck: (stuck: Stuck) => void, now: () => number = Date.now): Watchdog {
  const dir = path.join(tmpdir(), `cachelings-watchdog-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  let fired = false;
  const firstSeen = new Map<string, number>();
  const timer = setInterval(() => {
    if (fired) return;
    const stuck = stuckTest(dir, now(), firstSeen);
    if (stuck) {
      fired = true;
      onStuck(stuck);
    }
  }, 500);
  timer.unref();
  return {
    dir,
    reset() {
      fired = false;
      firstSeen.clear();
      for (const f of readdirSync(dir)) rmSync(path.join(dir, f), { force: true });
    },
    stop() {
      clearInterval(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The test, among the notes in `dir`, that has run longest past its timeout
 * plus the grace, if any. A test's time counts from when a note of it was
 * first seen (`firstSeen`, kept between calls), never from a worker's clock.
 */
export function stuckTest(dir: string, now: number, firstSeen: Map<string, number>): Stuck | undefined {
  if (!existsSync(dir)) return undefined;
  let worst: Stuck | undefined;
  for (const file of readdirSync(dir)) {
    let note: RunningTest;
    try {
      note = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as RunningTest;
    } catch {
      continue; // half written, or gone: look again next time
    }
    const key = `${file}:${note.seq}`;
    if (!firstSeen.has(key)) firstSeen.set(key, now);
    const runningMs = now - firstSeen.get(key)!;
    if (runningMs > note.timeoutMs + graceMs && (!worst || runningMs > worst.runningMs)) worst = { ...note, runningMs };
  }
  return worst;
}

/** What the learner reads when a spec never returned. */
export function describeStuck(stuck: Stuck, lessonDir: string): string {
  const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
  return [
    `✗ ${stuck.spec} › ${stuck.name}`,
    '',
    `  This spec never returned: it has run for ${seconds(stuck.runningMs)}, past its ${seconds(stuck.timeoutMs)} timeout, and`,
    '  never once gave the event loop back, so not even its timeout could stop it.',
    '  That is what an endless loop looks like: a while or for whose condition never turns',
    '  false (a counter that never moves, a size that never shrinks, a pointer that never',
    '  advances), or a function that calls itself with no way out.',
    `  Look at the code this spec calls in ${lessonDir}; the runner stopped the run.`,
  ].join('\n');
}
