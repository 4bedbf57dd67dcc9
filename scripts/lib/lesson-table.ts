/** The lesson table of README.md, made from the manifest and the measured sizes (npm run readme:table writes it; a spec checks it). */
import { lessons, type Lesson } from '../../manifest.js';
import { lessonSize, pace, readMeasured, type LessonSize, type Measured } from './sizes.js';

export const tableStart = '<!-- lessons:start (made by npm run readme:table from manifest.ts and sizes.json) -->';
export const tableEnd = '<!-- lessons:end -->';

const backendText = { none: 'none', redis: 'Redis (mock or real)', cluster: 'Redis (mock or real); a Redis Cluster for its cluster specs, skipped on the mock (done counts without them)' } as const;

/** A lesson's core time: "40 min", or for a lesson in parts "75 min in 2 parts (30 + 45)". */
export function coreTime(size: Pick<LessonSize, 'coreMinutes' | 'parts'>): string {
  if (size.parts.length === 1) return `${size.coreMinutes} min`;
  return `${size.coreMinutes} min in ${size.parts.length} parts (${size.parts.map((p) => p.coreMinutes).join(' + ')})`;
}

export function lessonTable(measured: Measured = readMeasured(), list: Lesson[] = lessons): string {
  const rows = list.map((l) => {
    const size = lessonSize(l, measured);
    return `| ${l.number} | [${l.title}](lessons/${l.slug}/README.md) | ${l.sections.join(', ') || 'beyond the source'} | ${backendText[l.backend]} | ${coreTime(size)} | +${size.deepMinutes} min |`;
  });
  const total = list.map((l) => lessonSize(l, measured)).reduce((t, s) => ({ core: t.core + s.coreMinutes, deep: t.deep + s.deepMinutes }), { core: 0, deep: 0 });
  return [
    tableStart,
    '| # | Lesson | Source sections | Needs | Core | Deep (`--deep`) |',
    '|---|---|---|---|---|---|',
    ...rows,
    `| | **All eleven** | | | **${hours(total.core)}** | **+${hours(total.deep)}** |`,
    '',
    `Times come from one formula over what you read and write (\`npm run readme:table -- --json\` shows every figure): ` +
      `README words at ${pace.wordsPerMinute} a minute, one minute for each line of code you write (the reference minus the starter, ` +
      `blank lines and comments not counted), and ${60 / pace.specsPerMinute} seconds for each spec. The core is what \`npm run lesson N\` checks; ` +
      'the deep tier is what `-- --deep` adds. Each part fits a 45-minute slot.',
    tableEnd,
  ].join('\n');
}

const hours = (minutes: number) => (minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`);

/** README.md with its table replaced by the one made now. */
export function withLessonTable(readme: string, measured: Measured = readMeasured()): string {
  const start = readme.search(/<!-- lessons:start[^>]*-->/);
  const end = readme.indexOf(tableEnd);
  if (start < 0 || end < start) throw new Error(`README.md has no ${tableStart} … ${tableEnd} markers`);
  return readme.slice(0, start) + lessonTable(measured) + readme.slice(end + tableEnd.length);
}
