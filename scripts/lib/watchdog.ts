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
 * past its own timeout, while the process kept a core busy all along, has
 * never given the event loop back: an endless loop. A test that is merely
 * slow because the machine is busy with other work gets little CPU meanwhile,
 * and is given up on only at four times its timeout.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** How long past its own timeout a test may run before it counts as stuck: a timeout that can fire fires within this. */
export const graceMs = 3_000;

/** The share of one core the process must have used while the test ran, for it to count as spinning. */
export const spinningShare = 0.6;

/** Past this many times its timeout (plus the grace), a test counts as stuck whatever the CPU says. */
export const hardLimitFactor = 4;

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

/** What the watchdog reads: the time, and the CPU this process has used (all its threads), both in milliseconds. */
export interface Clocks {
  now: number;
  cpu: number;
}

const processClocks = (): Clocks => {
  const { user, system } = process.cpuUsage();
  return { now: Date.now(), cpu: (user + system) / 1000 };
};

/** Watches the workers' notes; calls onStuck (once) with the first test that is stuck. */
export function startWatchdog(onStuck: (stuck: Stuck) => void, clocks: () => Clocks = processClocks): Watchdog {
  const dir = path.join(tmpdir(), `cachelings-watchdog-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  let fired = false;
  const firstSeen = new Map<string, Clocks>();
  const timer = setInterval(() => {
    if (fired) return;
    const stuck = stuckTest(dir, clocks(), firstSeen);
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
 * The test, among the notes in `dir`, that is stuck, if any: it has run past
 * its timeout plus the grace while the process used most of a core (a loop
 * spinning), or past four times that (a loop on a starved machine). A test's
 * time counts from when a note of it was first seen (`firstSeen`, kept between
 * calls), never from a worker's clock, which a spec may fake.
 */
export function stuckTest(dir: string, clocks: Clocks, firstSeen: Map<string, Clocks>): Stuck | undefined {
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
    if (!firstSeen.has(key)) firstSeen.set(key, clocks);
    const seen = firstSeen.get(key)!;
    const runningMs = clocks.now - seen.now;
    const limit = note.timeoutMs + graceMs;
    const spinning = clocks.cpu - seen.cpu >= spinningShare * runningMs;
    const stuck = runningMs > limit && (spinning || runningMs > hardLimitFactor * limit);
    if (stuck && (!worst || runningMs > worst.runningMs)) worst = { ...note, runningMs };
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
