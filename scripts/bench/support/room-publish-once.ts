/**
 * One publishToRoom() in a fresh process: prints "<ms> <outcome>". With --warm,
 * ioredis is loaded first, as in a lesson run, where it loads while the specs run.
 */
import { publishToRoom } from '../../room/publish.js';

if (process.argv.includes('--warm')) await import('ioredis');
const started = performance.now();
const outcome = await publishToRoom(
  [{ lesson: { number: 1 }, exercises: [{ file: 'cache-key.ts', passed: 3, failed: 1, tests: [{ name: 'cacheKey > keys dates by their instant', state: 'failed' }], errors: [] }] }],
  { log: () => {} },
);
console.log(`${(performance.now() - started).toFixed(1)} ${outcome}`);
process.exit(0);
