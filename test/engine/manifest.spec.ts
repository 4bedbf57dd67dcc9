/** The manifest is the single source of truth: these specs keep the tree honest about it. */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deepSpecFor, lessons, specFor } from '../../manifest.js';
import { root } from '../../scripts/lib/vitest-config.js';

const dirs = (dir: string) => readdirSync(path.join(root, dir), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

describe('manifest.ts', () => {
  it('numbers the lessons 1, 2, 3… in order, each slug starting with its two-digit number', () => {
    lessons.forEach((lesson, i) => {
      expect(lesson.number).toBe(i + 1);
      expect(lesson.slug).toMatch(new RegExp(`^${String(i + 1).padStart(2, '0')}-[a-z0-9-]+$`));
    });
  });

  it.each(lessons)('lesson $number ($slug) has a README, a starter, a solution and a spec for every file', (lesson) => {
    expect(existsSync(path.join(root, 'lessons', lesson.slug, 'README.md'))).toBe(true);
    expect(lesson.files.length).toBeGreaterThan(0);
    for (const file of lesson.files) {
      expect(existsSync(path.join(root, 'lessons', lesson.slug, file)), `lessons/${lesson.slug}/${file}`).toBe(true);
      expect(existsSync(path.join(root, 'solutions', lesson.slug, file)), `solutions/${lesson.slug}/${file}`).toBe(true);
      expect(existsSync(path.join(root, specFor(lesson, file))), specFor(lesson, file)).toBe(true);
    }
  });

  it.each(lessons)('lesson $number gives every exercise 2 or 3 graded hints, and names its source sections as N.M', (lesson) => {
    for (const exercise of lesson.exercises) {
      expect(exercise.hints.length, `${exercise.file}: a nudge first, the last nearly the answer`).toBeGreaterThanOrEqual(2);
      expect(exercise.hints.length, `${exercise.file}: at most 3 hints`).toBeLessThanOrEqual(3);
      for (const hint of exercise.hints) expect(hint.trim().length).toBeGreaterThan(20);
      expect(new Set(exercise.hints).size, `${exercise.file}: each hint says something new`).toBe(exercise.hints.length);
    }
    // A lesson beyond the source (the stampede, two tiers) names none.
    for (const section of lesson.sections) expect(section).toMatch(/^\d+\.\d+$/);
  });

  it.each(lessons)('lesson $number comes in parts that cover every exercise once, in order (their minutes: sizes.spec.ts)', (lesson) => {
    expect(lesson.parts.flatMap((p) => p.files), 'the parts, one after the other, are the exercises in order').toEqual(lesson.files);
    for (const part of lesson.parts) expect(part.files.length, part.title).toBeGreaterThan(0);
    if (lesson.parts.length > 1) expect(lesson.parts.map((p) => p.title).every((t) => t.trim().length > 0)).toBe(true);
  });

  it('lists every lesson folder, solution folder and spec folder there is (nothing unlisted)', () => {
    const slugs = lessons.map((l) => l.slug).sort();
    expect(dirs('lessons').sort()).toEqual(slugs);
    expect(dirs('solutions').sort()).toEqual(slugs);
    expect(dirs('test').filter((d) => /^\d\d-/.test(d)).sort()).toEqual(slugs);
  });

  it('lists every spec of every lesson: each is the core or the deep spec of an exercise (a spec outside the manifest would never be checked red)', () => {
    for (const lesson of lessons) {
      const specs = readdirSync(path.join(root, 'test', lesson.slug)).filter((f) => f.endsWith('.spec.ts'));
      const known = new Set(lesson.files.flatMap((f) => [specFor(lesson, f), deepSpecFor(lesson, f)]));
      for (const spec of specs) expect(known, `test/${lesson.slug}/${spec} belongs to no exercise`).toContain(`test/${lesson.slug}/${spec}`);
      for (const file of lesson.files) expect(specs, `${file} has no core spec`).toContain(specFor(lesson, file).split('/').pop());
    }
  });
});
