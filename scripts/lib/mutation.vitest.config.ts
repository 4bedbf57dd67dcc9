// The vitest configuration StrykerJS runs its mutants with (`npm run mutation`):
// the kata's own, on the mock backend, against solutions/, limited to the specs
// of the part under test (CACHELINGS_MUTATION_SPECS, set by scripts/mutation.ts),
// so that a mutant of lesson 01 never waits for lesson 05's Redis specs.
//
// Core specs run before deep ones: Stryker stops a mutant's run at its first
// failing test, so a mutant the core kills always names a core test among its
// killers, and scripts/mutation.ts can tell the core's own score.
// CACHELINGS_REDIS comes from scripts/mutation.ts: the mock, or a real server for --redis real.
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';
import { kataProject } from './vitest-config.js';

class CoreFirst extends BaseSequencer {
  override async sort(specs: TestSpecification[]): Promise<TestSpecification[]> {
    const deep = (s: TestSpecification) => s.moduleId.endsWith('.deep.spec.ts');
    const byName = (a: TestSpecification, b: TestSpecification) => a.moduleId.localeCompare(b.moduleId);
    return [...specs.filter((s) => !deep(s)).sort(byName), ...specs.filter(deep).sort(byName)];
  }
}

const specs = (process.env.CACHELINGS_MUTATION_SPECS ?? 'test/**/*.spec.ts').split(',');
const project = kataProject('solutions', specs);
export default defineConfig({
  ...project,
  test: {
    ...project.test,
    env: { ...project.test?.env, CACHELINGS_REDIS: process.env.CACHELINGS_REDIS === 'real' ? 'real' : 'mock' },
    sequence: { sequencer: CoreFirst },
  },
});
