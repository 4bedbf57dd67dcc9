/**
 * npm run reset N [-- --yes]          puts lesson N's starter files back as shipped
 * npm run reset N exercise [-- --yes] one file only (a deleted starter, say): by name or number
 * npm run reset -- --all --yes        every lesson
 *
 * Reads the starters from git (your upstream branch, so your own commits do not
 * count as the starter) and writes only files under lessons/: never solutions/.
 * Without git (a ZIP download) it says how to get the files instead.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from './lib/args.js';
import { exerciseName, findExercise, lessons, type Lesson } from '../manifest.js';
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
// One exercise's file only: `npm run reset 2 jitter`.
const only = !values.all && positionals[1] !== undefined ? findExercise(chosen[0]!, positionals[1])?.file : undefined;
if (!values.all && positionals[1] !== undefined && only === undefined) {
  fail(`Lesson ${chosen[0]!.number} has no exercise "${positionals[1]}". Its exercises: ${chosen[0]!.files.map(exerciseName).join(', ')}`);
}
const ref = starterRef();
if (!ref) {
  const where = only ? `lessons/${chosen[0]!.slug}/${only}` : values.all ? 'lessons/' : `lessons/${chosen[0]!.slug}/`;
  fail(
    'reset takes the starter files from git, and this folder is not a git clone (a ZIP download?), so nothing was changed.\n' +
      `  Get the project with git (README, "Get the project": git clone …), or copy ${where} from a fresh download of it.`,
  );
}
/** Where the starters come from, in plain words. */
const source = ref === 'HEAD' ? 'as in your last commit' : 'as shipped';

const what = values.all ? 'every lesson' : only ? `lessons/${chosen[0]!.slug}/${only}` : `lesson ${chosen[0]!.number} (${chosen[0]!.slug})`;
// Nothing to lose when every file to put back is missing (deleted): no question then.
const losesWork = chosen.some((lesson) => (only ? [only] : lesson.files).some((file) => existsSync(path.join(root, 'lessons', lesson.slug, file))));
if (!values.yes && losesWork) {
  const again = values.all ? '-- --all --yes' : `${chosen[0]!.number}${only ? ` ${exerciseName(only)}` : ''} -- --yes`;
  if (!process.stdin.isTTY) fail(`This throws away your work in ${what}. Run it again with --yes to confirm: npm run reset ${again}`);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(`Put back the starter files of ${what}? Your changes there are lost. [y/N] `);
  rl.close();
  if (!/^y(es)?$/i.test(answer.trim())) {
    console.log('Nothing changed.');
    process.exit(0);
  }
}

for (const lesson of chosen) {
  for (const file of only ? [only] : lesson.files) {
    const relative = `lessons/${lesson.slug}/${file}`;
    const starter = starterContent(ref, relative);
    if (starter === null) fail(`git has no starter for ${relative}; nothing was put back for it.`);
    writeFileSync(path.join(root, relative), starter);
  }
  if (!only) {
    forget(lesson);
    forgetHints(lesson);
  }
  console.log(`${green('✓')} lesson ${lesson.number}: ${(only ? [only] : lesson.files).join(', ')} put back ${source}`);
}
