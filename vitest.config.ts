// `npx vitest` on its own runs the specs against solutions/ (CACHELINGS_TARGET=lessons
// for the starters). The kata commands in scripts/ build the same configuration.
import { defineConfig } from 'vitest/config';
import { kataProject, type Target } from './scripts/lib/vitest-config.js';

const target = (process.env.CACHELINGS_TARGET ?? 'solutions') as Target;
export default defineConfig(kataProject(target));
