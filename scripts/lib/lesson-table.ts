/** The lesson table of README.md, made from the manifest (npm run readme:table writes it; a spec checks it). */
import { lessons, partMinutes, type Lesson } from '../../manifest.js';

export const tableStart = '<!-- lessons:start (made by npm run readme:table from manifest.ts) -->';
export const tableEnd = '<!-- lessons:end -->';

const backendText = { none: 'none', redis: 'Redis (mock or real)', cluster: 'Redis Cluster' } as const;

/** The lesson's estimated time: "40 min", or for a lesson in parts "75 min in 2 parts (30 + 45)". */
export function lessonTime(lesson: Lesson): string {
  if (lesson.parts.length === 1) return `${lesson.minutes} min`;
  return `${lesson.minutes} min in ${lesson.parts.length} parts (${lesson.parts.map((p) => partMinutes(lesson, p)).join(' + ')})`;
}

export function lessonTable(): string {
  const rows = lessons.map(
    (l) => `| ${l.number} | [${l.title}](lessons/${l.slug}/README.md) | ${l.sections.join(', ') || 'beyond the source'} | ${backendText[l.backend]} | ${lessonTime(l)} |`,
  );
  return [tableStart, '| # | Lesson | Source sections | Needs | Time |', '|---|---|---|---|---|', ...rows, tableEnd].join('\n');
}

/** README.md with its table replaced by the manifest's. */
export function withLessonTable(readme: string): string {
  const start = readme.indexOf(tableStart);
  const end = readme.indexOf(tableEnd);
  if (start < 0 || end < start) throw new Error(`README.md has no ${tableStart} … ${tableEnd} markers`);
  return readme.slice(0, start) + lessonTable() + readme.slice(end + tableEnd.length);
}
