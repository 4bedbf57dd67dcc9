/** npm run hint N [k]: the k-th hint of lesson N; without k, the next one you have not seen. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lessonFromArg } from './lib/lesson-arg.js';
import { stateDir } from './lib/state.js';
import { bold, dim, fail } from './lib/ui.js';

const [lessonArg, kArg] = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const lesson = lessonFromArg(lessonArg, 'hint');
const seenFile = path.join(stateDir, 'hints.json');
const seen: Record<string, number> = existsSync(seenFile) ? JSON.parse(readFileSync(seenFile, 'utf8')) : {};

// One list for now, in exercise order; per-exercise hints come with the exercise-level runner.
const hints = lesson.exercises.flatMap((e) => e.hints);
const total = hints.length;
const k = kArg === undefined ? Math.min((seen[lesson.slug] ?? 0) + 1, total) : Number(kArg);
if (!Number.isInteger(k) || k < 1 || k > total) fail(`Lesson ${lesson.number} has hints 1 to ${total}; got "${kArg}".`);

console.log(`${bold(`Hint ${k} of ${total}`)} ${dim(`for lesson ${lesson.number}: ${lesson.title}`)}\n`);
console.log(hints[k - 1]);
console.log(dim(k < total ? `\nStill stuck? npm run hint ${lesson.number} ${k + 1}` : `\nThat was the last hint. The reference is in solutions/${lesson.slug}/.`));

seen[lesson.slug] = Math.max(seen[lesson.slug] ?? 0, k);
mkdirSync(stateDir, { recursive: true });
writeFileSync(seenFile, `${JSON.stringify(seen, null, 2)}\n`);
