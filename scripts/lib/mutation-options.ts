/**
 * How StrykerJS runs a part: everything here can change what a run finds, so
 * mutation/inputs.json fingerprints this file (a change reruns every part in
 * full), while the rest of scripts/mutation.ts (what it prints, which parts it
 * picks) can change without throwing results away.
 */
import type { PartialStrykerOptions } from '@stryker-mutator/api/core';

export interface RunSettings {
  /** Globs, or `file:line:column-line:column` ranges, of the code to mutate. */
  mutate: string[];
  /** mutation/<part>.json or mutation/<part>.real.json: the results kept between runs. */
  incrementalFile: string;
  /** Run every mutant again, whatever the results kept. */
  force: boolean;
  /** Where the HTML report goes. */
  reportDir: string;
  concurrency?: number;
}

/** The least share of mutants each part's specs must kill, in percent. */
export const threshold = 90;

export function strykerOptions(run: RunSettings): PartialStrykerOptions {
  return {
    testRunner: 'vitest',
    vitest: { configFile: 'scripts/lib/mutation.vitest.config.ts', related: true },
    plugins: ['@stryker-mutator/vitest-runner'],
    mutate: run.mutate,
    coverageAnalysis: 'perTest',
    incremental: true,
    incrementalFile: run.incrementalFile,
    force: run.force,
    concurrency: run.concurrency,
    reporters: ['html', ...(process.stdout.isTTY ? ['progress'] : [])],
    htmlReporter: { fileName: `${run.reportDir}/index.html` },
    ignorePatterns: ['.node', '.cachelings', 'reports', 'mutation', 'lessons', '*.log'],
    tempDirName: '.stryker-tmp',
    // Stryker rewrites the sandbox's tsconfig with TypeScript's JS API, which TypeScript 7 (the
    // native compiler) does not have. Ours needs no rewriting (no references, no extends): skip it.
    tsconfigFile: 'no-tsconfig-rewrite.json',
    logLevel: 'warn' as PartialStrykerOptions['logLevel'], // LogLevel is a const enum, which isolatedModules cannot import
    fileLogLevel: 'off' as PartialStrykerOptions['fileLogLevel'],
    // The threshold is checked per part by scripts/mutation.ts, so that one report covers them all.
    thresholds: { high: 95, low: threshold, break: null },
  };
}
