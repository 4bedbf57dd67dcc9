/**
 * npm run reset N [-- --yes]    puts lesson N's starter files back as shipped
 * npm run reset -- --all --yes  every lesson
 *
 * Reads the starters from git (your upstream branch, so your own commits do not
 * count as the starter) and writes only files under lessons/: never solutions/.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from './lib/args.js';
import { lessons, type Lesson } from '../manifest.js';
import { starterContent, starterRef } from './lib/git.js';
import { lessonFromArg } from './lib/lesson-arg.js';
import { forget, forgetHints } from './lib/state.js';
import { fail, green } from './lib/ui.js';
import { root } from './lib/vitest-config.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { all: { type: 'boolean', default: false }, yes: { type: 'boolean', short: 'y', default: false } },
});

const chosen: Lesson[] = values.all ? lessons : [lessonFromArg(positionals[0], 'reset')];
const ref = starterRef();
if (!ref) fail('reset needs the git history of cachelings (it reads the starters from it), and this folder is not a git clone.');

const what = values.all ? 'every lesson' : `lesson ${chosen[0]!.number} (${chosen[0]!.slug})`;
if (!values.yes) {
  if (!process.stdin.isTTY) fail(`This throws away your work in ${what}. Run it again with --yes to confirm: npm run reset ${values.all ? '-- --all --yes' : `${chosen[0]!.number} -- --yes`}`);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(`Put back the starter files of ${what}? Your changes there are lost. [y/N] `);
  rl.close();
  if (!/^y(es)?$/i.test(answer.trim())) {
    console.log('Nothing changed.');
    process.exit(0);
  }
}

for (const lesson of chosen) {
  for (const file of lesson.files) {
    const relative = `lessons/${lesson.slug}/${file}`;
    const starter = starterContent(ref, relative);
    if (starter === null) fail(`${relative} is not in ${ref}; nothing was reset for it.`);
    writeFileSync(path.join(root, relative), starter);
  }
  forget(lesson);
  forgetHints(lesson);
  console.log(`${green('✓')} lesson ${lesson.number}: ${lesson.files.join(', ')} restored from ${ref}`);
}
