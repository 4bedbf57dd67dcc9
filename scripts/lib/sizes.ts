/**
 * How big each exercise is, and how long it takes: one documented formula
 * over what a learner reads and writes, never a guess.
 *
 *   coreMinutes = coreWords / 150 + coreLines + coreSpecs / 4
 *   deepMinutes = deepWords / 150 + (allLines - coreLines) + deepSpecs / 4
 *
 * (150 words a minute, one minute a line, 15 seconds a spec; each rounded up.)
 *
 * - allLines: code lines of the reference minus code lines of the starter
 *   (blank lines and comments do not count: scripts/lib/code-lines.ts).
 * - coreLines: allLines minus the reference's code lines that the lesson's core
 *   specs never run (V8 coverage, on the mock): code that only the deep tier
 *   exercises is depth. What the core runs counts, guards included, so the
 *   figure errs on the side of more.
 * - coreSpecs, deepSpecs: the tests of the exercise's two spec files.
 * - words: scripts/lib/readme-sections.ts.
 *
 * Measuring runs the specs with coverage (seconds per lesson), so the results
 * are kept in sizes.json with a fingerprint of what they were measured on;
 * `npm run readme:table` measures the lessons whose fingerprint changed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Lesson, Part } from '../../manifest.js';
import { codeLineNumbers } from './code-lines.js';
import { readLesson } from './readme-sections.js';
import { hasDeep } from './tiers.js';
import { root } from './vitest-config.js';

export const pace = { wordsPerMinute: 150, minutesPerLine: 1, specsPerMinute: 4 } as const;

/** The slot a part must fit, in core minutes, and the most code lines an exercise's core may ask for. */
export const limits = { partMinutes: 45, coreLines: 40 } as const;

export const sizesFile = path.join(root, 'sizes.json');

/** What the coverage run measured for one exercise. */
export interface MeasuredExercise {
  coreSpecs: number;
  deepSpecs: number;
  allLines: number;
  coreLines: number;
}

export interface MeasuredLesson {
  /** sha1 of what the figures were measured on: the lesson's references, starters and specs. */
  fingerprint: string;
  exercises: Record<string, MeasuredExercise>;
}

export type Measured = Record<string, MeasuredLesson>;

export interface ExerciseSize extends MeasuredExercise {
  file: string;
  readmeWords: number;
  coreWords: number;
  deepWords: number;
  coreMinutes: number;
  deepMinutes: number;
}

export interface PartSize {
  title: string;
  files: string[];
  coreMinutes: number;
  deepMinutes: number;
}

export interface LessonSize {
  number: number;
  slug: string;
  title: string;
  coreMinutes: number;
  deepMinutes: number;
  parts: PartSize[];
  exercises: ExerciseSize[];
}

const read = (file: string) => readFileSync(file, 'utf8').replace(/\r\n?/g, '\n');

/** The files a lesson's measurement depends on, relative to the repository, sorted. */
function measuredFiles(lesson: Pick<Lesson, 'slug'>): string[] {
  const list = (dir: string, keep: (f: string) => boolean) =>
    existsSync(path.join(root, dir)) ? readdirSync(path.join(root, dir)).filter(keep).map((f) => `${dir}/${f}`) : [];
  return [
    ...list(`solutions/${lesson.slug}`, (f) => f.endsWith('.ts')),
    ...list(`lessons/${lesson.slug}`, (f) => f.endsWith('.ts')),
    ...list(`test/${lesson.slug}`, (f) => f.endsWith('.ts')),
  ].sort();
}

export function lessonFingerprint(lesson: Pick<Lesson, 'slug'>): string {
  const hash = createHash('sha1');
  for (const file of measuredFiles(lesson)) hash.update(file).update('\0').update(read(path.join(root, file))).update('\0');
  return hash.digest('hex');
}

export function readMeasured(): Measured {
  if (!existsSync(sizesFile)) return {};
  try {
    return JSON.parse(readFileSync(sizesFile, 'utf8')) as Measured;
  } catch {
    return {};
  }
}

export function isFresh(lesson: Lesson, measured: Measured): boolean {
  const entry = measured[lesson.slug];
  return entry !== undefined && entry.fingerprint === lessonFingerprint(lesson) && lesson.files.every((f) => entry.exercises[f] !== undefined);
}

const minutes = (words: number, lines: number, specs: number) =>
  Math.ceil(words / pace.wordsPerMinute + lines * pace.minutesPerLine + specs / pace.specsPerMinute);

/** A lesson's sizes: its measured figures (sizes.json) with its README's words, as they are now. */
export function lessonSize(lesson: Lesson, measured: Measured = readMeasured()): LessonSize {
  const readmePath = path.join(root, 'lessons', lesson.slug, 'README.md');
  const reading = readLesson(lesson, existsSync(readmePath) ? read(readmePath) : '');
  const exercises = lesson.files.map((file): ExerciseSize => {
    const m = measured[lesson.slug]?.exercises[file] ?? { coreSpecs: 0, deepSpecs: 0, allLines: 0, coreLines: 0 };
    const words = reading.exercises[file]!;
    return {
      file,
      ...m,
      readmeWords: words.core + words.deep,
      coreWords: words.core,
      deepWords: words.deep,
      coreMinutes: minutes(words.core, m.coreLines, m.coreSpecs),
      deepMinutes: minutes(words.deep, m.allLines - m.coreLines, m.deepSpecs),
    };
  });
  const sum = (files: string[], key: 'coreMinutes' | 'deepMinutes') =>
    exercises.filter((e) => files.includes(e.file)).reduce((n, e) => n + e[key], 0);
  const parts = lesson.parts.map((p: Part) => ({ title: p.title, files: p.files, coreMinutes: sum(p.files, 'coreMinutes'), deepMinutes: sum(p.files, 'deepMinutes') }));
  return {
    number: lesson.number,
    slug: lesson.slug,
    title: lesson.title,
    coreMinutes: sum(lesson.files, 'coreMinutes'),
    deepMinutes: sum(lesson.files, 'deepMinutes'),
    parts,
    exercises,
  };
}

/** The core minutes of one part of a lesson. */
export function partMinutes(lesson: Lesson, part: Part, measured: Measured = readMeasured()): number {
  return lessonSize(lesson, measured).parts.find((p) => p.title === part.title && p.files.join() === part.files.join())?.coreMinutes ?? 0;
}

interface IstanbulRange {
  start: { line?: number };
  end: { line?: number };
}

interface FileCoverage {
  statementMap: Record<string, IstanbulRange>;
  s: Record<string, number>;
  fnMap: Record<string, { loc: IstanbulRange; decl: IstanbulRange }>;
  f: Record<string, number>;
  branchMap: Record<string, { locations: IstanbulRange[] }>;
  b: Record<string, number[]>;
}

/**
 * The code lines of a file that a run never reached: inside some range
 * (statement, function, branch) that ran 0 times, and where nothing that ran
 * starts. A file no spec loaded never ran at all.
 */
export function unrunLines(source: string, coverage: FileCoverage | undefined): Set<number> {
  const code = codeLineNumbers(source);
  if (!coverage) return code;
  const zero: IstanbulRange[] = [];
  const ran = new Set<number>();
  const note = (range: IstanbulRange, count: number) => {
    if (range.start.line === undefined || range.end.line === undefined) return;
    if (count > 0) ran.add(range.start.line);
    else zero.push(range);
  };
  for (const [id, range] of Object.entries(coverage.statementMap)) note(range, coverage.s[id] ?? 0);
  for (const [id, fn] of Object.entries(coverage.fnMap)) {
    note(fn.loc, coverage.f[id] ?? 0);
    note(fn.decl, coverage.f[id] ?? 0);
  }
  for (const [id, branch] of Object.entries(coverage.branchMap)) branch.locations.forEach((loc, k) => note(loc, coverage.b[id]?.[k] ?? 0));
  const unrun = new Set<number>();
  for (const line of code) {
    if (ran.has(line)) continue;
    if (zero.some((r) => r.start.line! <= line && line <= r.end.line!)) unrun.add(line);
  }
  return unrun;
}

/** Runs the core specs of each lesson with coverage, collects its deep specs, and writes sizes.json. */
export async function measure(chosen: Lesson[], log: (line: string) => void = () => {}): Promise<Measured> {
  const { startVitest, createVitest } = await import('vitest/node');
  const { kataProject } = await import('./vitest-config.js');
  const { deepSpecFor, specFor } = await import('../../manifest.js');
  const measured = readMeasured();
  for (const lesson of chosen) {
    const started = performance.now();
    const dir = mkdtempSync(path.join(tmpdir(), 'cachelings-sizes-'));
    const counts = new Map<string, number>();
    const countTests = (modules: ReadonlyArray<{ moduleId: string; children: { allTests(): Iterable<unknown> } }>) => {
      for (const m of modules) counts.set(path.relative(root, m.moduleId), [...m.children.allTests()].length);
    };
    try {
      const coreSpecs = lesson.files.map((f) => specFor(lesson, f));
      const project = kataProject('solutions', coreSpecs);
      const vitest = await startVitest(
        'test',
        [],
        { watch: false, config: false, reporters: [{ onTestRunEnd: (modules) => countTests(modules) }], passWithNoTests: true },
        {
          ...project,
          test: {
            ...project.test,
            env: { ...project.test?.env, CACHELINGS_REDIS: 'mock' },
            coverage: {
              enabled: true,
              provider: 'v8',
              include: [`solutions/${lesson.slug}/**`],
              reporter: [['json', { file: 'coverage.json' }]],
              reportsDirectory: dir,
              clean: true,
              reportOnFailure: true,
            },
          },
        },
      );
      await vitest.close();
      const deepSpecs = lesson.files.filter((f) => hasDeep(lesson, f)).map((f) => deepSpecFor(lesson, f));
      if (deepSpecs.length > 0) {
        const collector = await createVitest('test', { watch: false, config: false, reporters: [] }, kataProject('solutions', deepSpecs));
        // Not a static parse: a spec may define its tests through a helper it calls.
        const { testModules } = await collector.collect(undefined, { staticParse: false });
        countTests(testModules);
        await collector.close();
      }
      const coverageFile = path.join(dir, 'coverage.json');
      const coverage = existsSync(coverageFile) ? (JSON.parse(readFileSync(coverageFile, 'utf8')) as Record<string, FileCoverage>) : {};
      const exercises: Record<string, MeasuredExercise> = {};
      for (const file of lesson.files) {
        const reference = path.join(root, 'solutions', lesson.slug, file);
        const starter = path.join(root, 'lessons', lesson.slug, file);
        const source = read(reference);
        const allLines = Math.max(0, codeLineNumbers(source).size - (existsSync(starter) ? codeLineNumbers(read(starter)).size : 0));
        const unrun = unrunLines(source, coverage[reference]).size;
        exercises[file] = {
          coreSpecs: counts.get(specFor(lesson, file)) ?? 0,
          deepSpecs: counts.get(deepSpecFor(lesson, file)) ?? 0,
          allLines,
          coreLines: Math.max(0, allLines - unrun),
        };
      }
      measured[lesson.slug] = { fingerprint: lessonFingerprint(lesson), exercises };
      log(`measured lesson ${lesson.number} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  process.exitCode = 0; // vitest sets it for failing specs; the caller decides
  const ordered = Object.fromEntries(Object.entries(measured).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(sizesFile, `${JSON.stringify(ordered, null, 2)}\n`);
  return ordered;
}
