/**
 * The vitest configuration every command shares. The one thing that differs
 * between `npm run lesson` and `npm run solution` is where @kata/ points.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ViteUserConfig } from 'vitest/config';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** lessons/: the learner's starters. solutions/: the reference. */
export type Target = 'lessons' | 'solutions';

export function kataAlias(target: Target) {
  return [{ find: /^@kata\//, replacement: `${path.join(root, target)}/` }];
}

export function kataProject(target: Target, include = ['test/**/*.spec.ts']): ViteUserConfig {
  return {
    root,
    resolve: { alias: kataAlias(target) },
    test: {
      name: target,
      // Threads start faster than forked processes, and spec files that share a
      // worker import ioredis and friends once: most of a one-lesson run is start-up.
      pool: 'threads',
      isolate: false,
      setupFiles: ['test/support/setup.ts'],
      restoreMocks: true,
      unstubEnvs: true,
      unstubGlobals: true,
      include,
      // A learner's infinite loop should fail a test, not hang the runner.
      testTimeout: 10_000,
      hookTimeout: 20_000,
      env: { CACHELINGS_TARGET: target },
    },
  };
}
