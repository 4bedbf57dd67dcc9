// Starts a kata command (scripts/<name>.ts). It loads vitest before it turns on
// TypeScript support (tsx), so that tsx's loader does not sit in front of each of
// vitest's few hundred modules: that alone cost about 0.7 s of every `npm run lesson`.
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { mark } from './lib/timing.mjs';
import { nodeProblem } from './lib/node-version.mjs';

// Node keeps the compiled code of vitest, tsx and the kata between runs (and for
// the spec workers, through the variable): about 0.1 s of every run.
if (!process.env.NODE_COMPILE_CACHE) process.env.NODE_COMPILE_CACHE = fileURLToPath(new URL('../.cachelings/compile-cache', import.meta.url));
module.enableCompileCache?.(process.env.NODE_COMPILE_CACHE);

// An old Node would fail later and obscurely (a native module that will not load); say so now.
const tooOld = nodeProblem();
if (tooOld) {
  console.error(tooOld);
  process.exit(1);
}
const [command, ...args] = process.argv.slice(2);
if (!command) throw new Error('usage: node scripts/run.mjs <command> [args]');
// A watching lesson run watches over a child that does the work: see supervise.mjs.
const { shouldSupervise, supervise } = await import('./lib/supervise.mjs');
if (shouldSupervise(command, args)) await supervise(command, args);

const { register } = await import('tsx/esm/api');
// The learner's type errors: tsc starts now, on the other core, while vitest loads.
if (command === 'lesson') (await import('./lib/lesson-typecheck.mjs')).startEarly(args);
await import('vitest/node');
mark('vitest loaded');
register();
process.argv = [process.argv[0], new URL(`./${command}.ts`, import.meta.url).pathname, ...args];
mark('tsx on');
await import(`./${command}.ts`);
