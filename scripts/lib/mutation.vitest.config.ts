// The vitest configuration StrykerJS runs its mutants with (`npm run mutation`):
// the kata's own, on the mock backend, against solutions/, limited to the specs
// of the part under test (CACHELINGS_MUTATION_SPECS, set by scripts/mutation.ts),
// so that a mutant of lesson 01 never waits for lesson 05's Redis specs.
import { defineConfig } from 'vitest/config';
import { kataProject } from './vitest-config.js';

const specs = (process.env.CACHELINGS_MUTATION_SPECS ?? 'test/**/*.spec.ts').split(',');
const project = kataProject('solutions', specs);
export default defineConfig({ ...project, test: { ...project.test, env: { ...project.test?.env, CACHELINGS_REDIS: 'mock' } } });
