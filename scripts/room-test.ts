/**
 * npm run test:room: the room's end-to-end test in a real browser
 * (test/room/*.e2e.ts), apart from `npm test` so that stays fast. It starts its
 * own redis-server and needs chromium (scripts/ci/room-stage.sh installs it).
 * The last line is the totals: "N passed, N failed, N skipped".
 */
import { runSpecs } from './lib/run-specs.js';
import { bold, green, mark, red } from './lib/ui.js';
import { kataProject } from './lib/vitest-config.js';

const project = kataProject('solutions', ['test/room/**/*.e2e.ts']);
// A browser on a busy machine (CI, a shared box) can take seconds to paint: polls wait up to 10 s, not vitest's 1 s.
const results = await runSpecs({ config: { ...project, test: { ...project.test, expect: { poll: { timeout: 10_000 } } } } });
const tests = results.flatMap((r) => r.tests);
const errors = results.flatMap((r) => r.errors.map((e) => `${r.spec}: ${e.message}`));
const passed = tests.filter((t) => t.state === 'passed').length;
const skipped = tests.filter((t) => t.state === 'skipped');
const failed = tests.filter((t) => t.state === 'failed');
for (const t of tests) console.log(`  ${t.state === 'passed' ? mark.pass : t.state === 'failed' ? mark.fail : mark.skip} ${t.name}`);
for (const t of failed) console.log(`\n${red(bold(`✗ ${t.name}`))}\n${t.error?.message ?? ''}${t.error?.diff ? `\n${t.error.diff}` : ''}`);
for (const e of errors) console.log(`\n${red('✗')} ${e}`);
if (results.length === 0) errors.push('no test/room/*.e2e.ts ran');
console.log('');
console.log(failed.length + errors.length === 0 ? green(bold('The room works in the browser.')) : red(bold('Not green.')));
console.log(`${passed} passed, ${failed.length + errors.length} failed, ${skipped.length} skipped`);
process.exit(failed.length + errors.length === 0 ? 0 : 1);
