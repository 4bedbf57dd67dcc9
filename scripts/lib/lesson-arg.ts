/** Reads "N" (or a slug) from a command line and finds that lesson in the manifest. */
import { findLesson, lessons, type Lesson } from '../../manifest.js';
import { fail } from './ui.js';

export function lessonFromArg(arg: string | undefined, command: string): Lesson {
  const list = lessons.map((l) => `  ${String(l.number).padStart(2)}  ${l.title}`).join('\n');
  if (!arg) fail(`Which lesson? Usage: npm run ${command} N\n${list}`);
  const lesson = findLesson(arg);
  if (!lesson) fail(`There is no lesson "${arg}". The lessons are:\n${list}`);
  return lesson;
}
