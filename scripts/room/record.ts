/**
 * What a learner publishes, and how the dashboard reads it back.
 *
 * A record carries the lesson, passing/total per exercise, the names of the
 * failing specs and when each began to fail, and a timestamp: never code,
 * error messages, file contents or paths outside the repository. Both sides
 * trim it to the limits below; the dashboard also refuses anything that does
 * not parse, because a learner with a Redis client can write whatever they like.
 */
export const limits = {
  name: 40,
  spec: 160,
  file: 60,
  /** Failing specs per lesson record. */
  failing: 12,
  exercises: 20,
  /** The dashboard reads at most this many bytes of a key (GETRANGE): a huge value costs nothing. */
  bytes: 8_192,
} as const;

export interface ExerciseCount {
  file: string;
  passed: number;
  total: number;
}

export interface FailingSpec {
  file: string;
  /** The test's full name: describe blocks and test, joined by " > ". */
  test: string;
  /** ms since the epoch, the learner's clock: when this spec began to fail in a row. */
  since: number;
}

export interface LessonRecord {
  v: 1;
  lesson: number;
  exercises: ExerciseCount[];
  failing: FailingSpec[];
  /** ms since the epoch, the learner's clock: when the run ended. */
  at: number;
}

export interface NameRecord {
  v: 1;
  name: string;
  at: number;
}

/** One line of printable text, at most `max` characters: control characters and runs of space become one space. */
export function cleanText(value: unknown, max: number): string {
  if (typeof value !== 'string') return '';
  // eslint-disable-next-line no-control-regex
  const text = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\s]+/g, ' ').trim();
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

const count = (value: unknown): number | null =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= 10_000 ? value : null;
const time = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 && value < 8.64e15 ? value : null;

function parseJson(raw: string | null): Record<string, unknown> | null {
  if (raw === null || raw.length === 0 || raw.length >= limits.bytes) return null; // cut off by GETRANGE: not ours
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A name record as the dashboard trusts it, or null. */
export function parseNameRecord(raw: string | null): NameRecord | null {
  const value = parseJson(raw);
  if (value?.v !== 1) return null;
  const name = cleanText(value.name, limits.name);
  const at = time(value.at);
  return name && at ? { v: 1, name, at } : null;
}

/** A lesson record as the dashboard trusts it, or null; `lesson` is the number its key says. */
export function parseLessonRecord(raw: string | null, lesson: number): LessonRecord | null {
  const value = parseJson(raw);
  if (value?.v !== 1 || value.lesson !== lesson) return null;
  const at = time(value.at);
  if (!at || !Array.isArray(value.exercises) || !Array.isArray(value.failing)) return null;
  const exercises: ExerciseCount[] = [];
  for (const e of value.exercises.slice(0, limits.exercises) as Array<Record<string, unknown>>) {
    const passed = count(e?.passed);
    const total = count(e?.total);
    const file = cleanText(e?.file, limits.file);
    if (passed === null || total === null || passed > total || !file) return null;
    exercises.push({ file, passed, total });
  }
  const failing: FailingSpec[] = [];
  for (const f of value.failing.slice(0, limits.failing) as Array<Record<string, unknown>>) {
    const test = cleanText(f?.test, limits.spec);
    const since = time(f?.since);
    if (!test || !since) return null;
    failing.push({ file: cleanText(f?.file, limits.file), test, since: Math.min(since, at) });
  }
  return { v: 1, lesson, exercises, failing, at };
}
