/**
 * mutation/<part>.json, written only when its content changed, and in an order
 * that does not depend on the run. StrykerJS numbers tests and mutants in the
 * order a run meets them (and records the absolute path of the checkout), so
 * a run that changed nothing still rewrote thousands of lines of a committed
 * file. Here tests are numbered by file, position and name, mutants by file and
 * position, their killedBy/coveredBy lists follow the new numbers in order, and
 * a report that says the same as the committed one leaves it untouched.
 * StrykerJS's incremental mode matches tests and mutants by name and position,
 * never by these numbers, so renumbering changes nothing it reuses.
 */

interface Position {
  line: number;
  column: number;
}
interface Test {
  id: string;
  name: string;
  location?: { start: Position; end?: Position };
  [key: string]: unknown;
}
interface Mutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  location: { start: Position; end: Position };
  killedBy?: string[];
  coveredBy?: string[];
  [key: string]: unknown;
}
interface Report {
  files: Record<string, { mutants: Mutant[]; [key: string]: unknown }>;
  testFiles?: Record<string, { tests: Test[]; [key: string]: unknown }>;
  projectRoot?: string;
  [key: string]: unknown;
}

const byPosition = (a?: Position, b?: Position) => (a?.line ?? 0) - (b?.line ?? 0) || (a?.column ?? 0) - (b?.column ?? 0);
const sortedKeys = <T>(record: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.keys(record).sort().map((key) => [key, record[key]!]));

/** The report with tests and mutants in a stable order and numbered in it. */
export function canonicalReport(report: Report): Report {
  const testIds = new Map<string, string>();
  let nextTest = 0;
  const testFiles = report.testFiles === undefined ? undefined : sortedKeys(report.testFiles);
  if (testFiles) {
    for (const [file, entry] of Object.entries(testFiles)) {
      const tests = [...entry.tests].sort((a, b) => byPosition(a.location?.start, b.location?.start) || a.name.localeCompare(b.name));
      testFiles[file] = { ...entry, tests: tests.map((test) => {
        const id = String(nextTest++);
        testIds.set(test.id, id);
        return { ...test, id };
      }) };
    }
  }
  const renumber = (ids?: string[]) =>
    ids === undefined ? undefined : [...new Set(ids.map((id) => testIds.get(id) ?? id))].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  let nextMutant = 0;
  const files = sortedKeys(report.files);
  for (const [file, entry] of Object.entries(files)) {
    const mutants = [...entry.mutants].sort(
      (a, b) =>
        byPosition(a.location.start, b.location.start) ||
        byPosition(a.location.end, b.location.end) ||
        a.mutatorName.localeCompare(b.mutatorName) ||
        (a.replacement ?? '').localeCompare(b.replacement ?? ''),
    );
    files[file] = {
      ...entry,
      mutants: mutants.map((mutant) => {
        const copy: Mutant = { ...mutant, id: String(nextMutant++) };
        if (mutant.killedBy) copy.killedBy = renumber(mutant.killedBy);
        if (mutant.coveredBy) copy.coveredBy = renumber(mutant.coveredBy);
        return copy;
      }),
    };
  }
  return { ...report, files, ...(testFiles ? { testFiles } : {}) };
}

/**
 * The text to keep in mutation/<part>.json after a run: the committed text when
 * the new report says the same thing (whatever its order or checkout path),
 * else the new report in the stable order. Stryker's own format: JSON, two spaces.
 */
export function stableReportText(previous: string | null, written: string): string {
  let next: Report;
  try {
    next = canonicalReport(JSON.parse(written) as Report);
  } catch {
    return written; // not a report this code knows: leave it as Stryker wrote it
  }
  if (previous !== null) {
    try {
      const before = JSON.parse(previous) as Report;
      // How it ran (the config: --force, the reporters a terminal adds) is not what it measured.
      const same =
        JSON.stringify(measured(canonicalReport({ ...before, projectRoot: '', config: null }))) ===
        JSON.stringify(measured({ ...next, projectRoot: '', config: null }));
      if (same) return previous;
      // The committed file's checkout path stays: it is not part of what was measured.
      if (typeof before.projectRoot === 'string') next = { ...next, projectRoot: before.projectRoot };
    } catch {
      // a damaged committed file: replace it
    }
  }
  return JSON.stringify(next, null, 2);
}

/**
 * What a report says, without how long it took to say it: a full run and an
 * incremental one write the same results with their keys in another order, with
 * or without each mutant's duration, and with or without an empty killedBy.
 */
function measured(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(measured);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([key, field]) => key !== 'duration' && !(key === 'killedBy' && Array.isArray(field) && field.length === 0))
    .sort(([a], [b]) => a.localeCompare(b));
  return Object.fromEntries(entries.map(([key, field]) => [key, measured(field)]));
}
