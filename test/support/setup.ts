/**
 * Runs around every spec. Spec files share their worker (isolate: false, which
 * makes a Redis lesson start three times faster), so whatever one test changes
 * in the worker is put back before the next: the clock here; spies and
 * stubbed environment variables by the config (restoreMocks, unstubEnvs).
 *
 * Under `npm run lesson`, each worker also notes the test it is about to run,
 * synchronously, for the runner's watchdog (scripts/lib/watchdog.ts): a test
 * stuck in an endless loop blocks its worker, timers and all, but not the runner.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterEach, beforeEach, chai, vi } from 'vitest';

const watchdogDir = process.env.CACHELINGS_WATCHDOG_DIR;
const note = watchdogDir ? path.join(watchdogDir, `${process.pid}-${threadId}.json`) : undefined;

let tests = 0;
if (note) {
  beforeEach(({ task }) => {
    const names: string[] = [];
    for (let t: { name: string; suite?: unknown } | undefined = task; t; t = t.suite as typeof t) if (t.name) names.unshift(t.name);
    const spec = path.relative(process.cwd(), task.file.filepath);
    // No time in the note: a spec may fake the clock. The watchdog times from when it first sees the note.
    writeFileSync(note, JSON.stringify({ seq: ++tests, spec, name: names.join(' > '), timeoutMs: task.timeout ?? 10_000 }));
  });
}

afterEach(() => {
  if (note) rmSync(note, { force: true });
  vi.useRealTimers();
});

// In vitest 5.1, `await expect(p).rejects.toThrow(/…/)` (or `.toThrow()`) passes when p
// rejects with null or undefined: a mutant that rejects with nothing would survive it.
// Here a rejection the spec expects to be thrown must be something.
chai.use((api, utils) => {
  for (const name of ['toThrow', 'toThrowError']) {
    utils.overwriteMethod(api.Assertion.prototype, name, (original: (...args: unknown[]) => unknown) =>
      function (this: Chai.AssertionStatic, ...args: unknown[]) {
        const thrown: unknown = utils.flag(this, 'object');
        if (utils.flag(this, 'promise') === 'rejects' && !utils.flag(this, 'negate') && (thrown === null || thrown === undefined)) {
          throw new chai.AssertionError(`expected the promise to reject with an error, but it rejected with ${String(thrown)}`);
        }
        return original.apply(this, args);
      },
    );
  }
});
