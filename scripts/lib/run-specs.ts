/**
 * Runs specs with vitest's Node API and hands back plain results, so each
 * command can print its own summary instead of vitest's full report.
 */
import path from 'node:path';
import type { TestError } from 'vitest';
import type { Reporter, TestModule, TestSpecification, Vitest } from 'vitest/node';
import { BaseSequencer, startVitest } from 'vitest/node';
import type { ViteUserConfig } from 'vitest/config';
import { mark } from './timing.mjs';
import { root } from './vitest-config.js';

export interface TestOutcome {
  /** The test's full name: describe blocks and test, joined by " > ". */
  name: string;
  state: 'passed' | 'failed' | 'skipped';
  error?: TestError;
}

export interface SpecResult {
  /** Relative to the repository, e.g. test/01-memoization/cache-key.spec.ts. */
  spec: string;
  /** Which vitest project ran it: 'lessons' or 'solutions'. */
  project: string;
  tests: TestOutcome[];
  /** Errors outside any test: a learner's syntax error, a failing import, a throwing hook. */
  errors: TestError[];
}

export interface RunOptions {
  /** The configuration: one project (kataProject) or several (test.projects). */
  config: ViteUserConfig;
  /** Spec files to run, relative to the repository; all the config includes when omitted. */
  specs?: string[];
  watch?: boolean;
  /** Watch by polling: for WSL, network drives and containers where file events are lost. */
  poll?: boolean;
  /** Called after every run (once, or on every save in watch mode). */
  onRun?: (results: SpecResult[], unhandled: TestError[]) => void | Promise<void>;
  /** Watch mode: called when a save starts a run, with the saved file (absolute), before any spec runs. */
  onRerun?: (saved: string | undefined) => void;
  /** The spec (relative to the repository) to run before the others, if any: the saved exercise's. */
  runFirst?: () => string | undefined;
}

export function toSpecResult(module: TestModule): SpecResult {
  const tests: TestOutcome[] = [];
  for (const test of module.children.allTests()) {
    const result = test.result();
    const state = result.state === 'pending' ? 'skipped' : result.state;
    tests.push({ name: test.fullName, state, error: result.errors?.[0] });
  }
  return {
    spec: path.relative(root, module.moduleId),
    project: module.project.name,
    tests,
    errors: module.errors() as TestError[],
  };
}

/** Runs once and resolves with the results, or (watch) keeps running and calls onRun on every run. */
export async function runSpecs(options: RunOptions): Promise<SpecResult[]> {
  // In watch mode a save re-runs only the specs that import the saved file:
  // keep every spec's latest result, so the summary always covers them all.
  const latest = new Map<string, SpecResult>();
  let collected = false;
  let ownRerun = false;
  const collector: Reporter = {
    onInit() {
      mark('vitest started');
    },
    onTestModuleCollected() {
      if (collected) return;
      collected = true;
      mark('first spec collected');
    },
    onWatcherRerun(_files, trigger) {
      // A run this module started itself (rerunAtOnce) has told the caller already.
      if (!ownRerun) options.onRerun?.(trigger);
    },
    async onTestRunEnd(modules, unhandled) {
      mark('specs ran');
      collected = false;
      for (const module of modules) {
        const result = toSpecResult(module);
        latest.set(`${result.project}:${result.spec}`, result);
      }
      await options.onRun?.([...latest.values()], unhandled as TestError[]);
    },
  };
  const { config } = options;
  const runFirst = options.runFirst;
  class SavedFirst extends BaseSequencer {
    override async sort(specs: TestSpecification[]): Promise<TestSpecification[]> {
      const sorted = await super.sort(specs);
      const first = runFirst?.();
      if (!first) return sorted;
      const isFirst = (s: TestSpecification) => path.relative(root, s.moduleId) === first;
      return [...sorted.filter(isFirst), ...sorted.filter((s) => !isFirst(s))];
    }
  }
  const vitest = await startVitest(
    'test',
    (options.specs ?? []).map((s) => path.join(root, s)),
    { watch: options.watch ?? false, config: false, reporters: [collector], passWithNoTests: false },
    {
      ...config,
      test: runFirst ? { ...config.test, sequence: { ...config.test?.sequence, sequencer: SavedFirst } } : config.test,
      // .cachelings/ holds what a run writes (progress, the type-check's result): no reason to rerun.
      server: { watch: { ignored: ['**/.cachelings/**'], ...(options.poll ? { usePolling: true, interval: 300 } : {}) } },
    },
  );
  if (!options.watch) {
    await vitest.close();
    process.exitCode = 0; // the caller decides what counts as a failure
    return [...latest.values()];
  }
  rerunAtOnce(vitest, options, (on) => (ownRerun = on));
  return [...latest.values()];
}

/**
 * After a save, vitest waits 100 ms for more changes before it reruns (a
 * `git checkout` changes many files at once); a learner's save is one file,
 * and those 100 ms were a quarter of the time from a save to the new report.
 * This reruns the specs the save touched as soon as the writes stop (10 ms),
 * with vitest's own watcher still finding which specs those are; vitest's
 * delayed rerun then finds nothing left to run.
 */
function rerunAtOnce(vitest: Vitest, options: RunOptions, setOwnRerun: (on: boolean) => void): void {
  const wanted = options.specs ? new Set(options.specs.map((s) => path.join(root, s))) : undefined;
  let timer: NodeJS.Timeout | undefined;
  let saved = '';
  let queue = Promise.resolve();
  const run = async () => {
    // Taken from vitest's watcher, which filled it for this change (its listener came first).
    const files = [...vitest.watcher.changedTests].filter((f) => !wanted || wanted.has(path.normalize(f)));
    vitest.watcher.changedTests.clear();
    if (files.length === 0) return;
    options.onRerun?.(saved);
    // vitest reports the rerun to the collector before this call returns: that report is this one.
    setOwnRerun(true);
    const done = vitest.rerunTestSpecifications(files.flatMap((f) => vitest.getModuleSpecifications(f)));
    setOwnRerun(false);
    await done;
  };
  vitest.vite.watcher.on('change', (file: string) => {
    saved = file;
    clearTimeout(timer);
    timer = setTimeout(() => (queue = queue.then(run, run)), 10);
  });
}
