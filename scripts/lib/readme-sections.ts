/**
 * A lesson README, read the way the time formula reads it:
 *
 *   # Lesson NN: …             the introduction: everything before the first
 *   …                          exercise section (read before exercise 1)
 *   ## 1. Memoize (`memoize.ts`)    one section per exercise, in manifest order,
 *   …                               its heading names the file in backticks
 *   ### Deeper: …              deep reading, on request (any number)
 *   ### Contract               what the exercise's core specs check: last
 *   ## Deeper: …               lesson-level deep reading, counted with the
 *                              exercise section before it
 *
 * Words are what a reader reads: prose and code alike, link targets not.
 */
import type { Lesson } from '../../manifest.js';

export interface ExerciseReading {
  /** Words of its section, without its Deeper subsections (the first exercise also gets the introduction). */
  core: number;
  /** Words of its Deeper subsections and of the lesson-level Deeper sections after it. */
  deep: number;
  /** Whether its section has a `### Contract` subsection, and it is the section's last. */
  contract: 'last' | 'not last' | 'missing';
}

export interface LessonReading {
  introduction: number;
  exercises: Record<string, ExerciseReading>;
  /** What does not fit the shape, in words a maintainer can act on. */
  problems: string[];
}

/** Words a reader reads in a piece of Markdown. */
export function countWords(markdown: string): number {
  const text = markdown
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/\]\([^)]*\)/g, '] ') // link targets are not read
    .replace(/^\s*(```+|~~~+)\S*/gm, ' ') // nor fences and their language
    .replace(/[|`*_#>-]+/g, ' ');
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

interface Heading {
  level: number;
  text: string;
  line: number;
}

/** Headings outside fenced code blocks. */
function headingsOf(lines: string[]): Heading[] {
  const headings: Heading[] = [];
  let fence: string | null = null;
  lines.forEach((line, i) => {
    const opener = /^\s*(```+|~~~+)/.exec(line);
    if (opener) {
      if (fence === null) fence = opener[1]![0]!;
      else if (opener[1]![0] === fence) fence = null;
      return;
    }
    if (fence !== null) return;
    const m = /^(#{1,6})\s+(.*)$/.exec(line);
    if (m) headings.push({ level: m[1]!.length, text: m[2]!.trim(), line: i });
  });
  return headings;
}

const isDeeper = (heading: string) => /^deeper\b/i.test(heading);
const isContract = (heading: string) => /^contract\b/i.test(heading);

/** The exercise file a `##` heading names in backticks, if any. */
function exerciseIn(heading: string, files: string[]): string | undefined {
  return files.find((file) => heading.includes(`\`${file}\``));
}

export function readLesson(lesson: Pick<Lesson, 'files' | 'number'>, readme: string): LessonReading {
  const lines = readme.replace(/\r\n?/g, '\n').split('\n');
  const headings = headingsOf(lines);
  const exercises: Record<string, ExerciseReading> = Object.fromEntries(
    lesson.files.map((f) => [f, { core: 0, deep: 0, contract: 'missing' as ExerciseReading['contract'] }]),
  );
  const problems: string[] = [];
  const words = (from: number, to: number) => countWords(lines.slice(from, to).join('\n'));

  let introduction = 0;
  let current: string | undefined; // the exercise whose section we are in
  const seen: string[] = [];
  const boundaries = [...headings.filter((h) => h.level <= 3), { level: 0, text: '', line: lines.length }];
  introduction += words(0, boundaries[0]!.line);
  let deepHere = false; // inside a lesson-level Deeper section

  for (let i = 0; i < boundaries.length - 1; i++) {
    const h = boundaries[i]!;
    const count = words(h.line, boundaries[i + 1]!.line);
    if (h.level <= 2) {
      const file = h.level === 2 ? exerciseIn(h.text, lesson.files) : undefined;
      if (file) {
        if (seen.includes(file)) problems.push(`\`${file}\` has two sections ("## ${h.text}")`);
        seen.push(file);
        current = file;
        deepHere = false;
      } else if (h.level === 2 && isDeeper(h.text)) {
        deepHere = true;
      } else if (h.level === 2 && current !== undefined) {
        problems.push(`"## ${h.text}" comes after the first exercise section but is neither an exercise's section (its file in backticks) nor a "Deeper" one`);
        deepHere = false;
      } else {
        deepHere = false;
      }
    } else {
      // ###: a subsection of the section we are in
      if (current === undefined && !deepHere) {
        introduction += count;
        continue;
      }
      if (isDeeper(h.text) || deepHere) {
        addDeep(count);
        continue;
      }
    }
    if (deepHere) addDeep(count);
    else if (current === undefined) introduction += count;
    else exercises[current]!.core += count;
  }

  function addDeep(count: number): void {
    // Deeper reading before any exercise belongs to the first.
    exercises[current ?? lesson.files[0]!]!.deep += count;
  }

  // Contracts: scan each exercise section for ### Contract and whether a ### follows it.
  for (const file of lesson.files) {
    const start = headings.find((h) => h.level === 2 && exerciseIn(h.text, lesson.files) === file);
    if (!start) {
      problems.push(`no section for \`${file}\`: a "## …" heading that names it in backticks`);
      continue;
    }
    const end = headings.find((h) => h.level <= 2 && h.line > start.line)?.line ?? lines.length;
    const subs = headings.filter((h) => h.level === 3 && h.line > start.line && h.line < end);
    const contract = subs.findIndex((h) => isContract(h.text));
    exercises[file]!.contract = contract < 0 ? 'missing' : contract === subs.length - 1 ? 'last' : 'not last';
    if (contract < 0) problems.push(`the section of \`${file}\` has no "### Contract"`);
    else if (contract !== subs.length - 1) problems.push(`the section of \`${file}\` does not end with its "### Contract"`);
  }
  const order = lesson.files.filter((f) => seen.includes(f));
  if (seen.join() !== order.join()) problems.push(`exercise sections are not in the manifest's order: ${seen.join(', ')}`);

  if (lesson.files[0] !== undefined) exercises[lesson.files[0]]!.core += introduction;
  return { introduction, exercises, problems };
}
