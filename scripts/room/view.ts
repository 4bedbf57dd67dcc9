/**
 * What the dashboard shows, computed from what learners wrote: the grid of
 * learners × lessons, the specs that hold most of them up right now, and who
 * has had the same failing spec for longer than `stuckAfterMs`.
 */
import type { LearnerState } from './store.js';

export type Cell = { state: 'done'; total: number } | { state: 'started'; passed: number; total: number } | { state: 'none' };

export interface RoomView {
  code: string;
  lessons: Array<{ number: number; title: string }>;
  learners: Array<{ name: string; cells: Cell[]; stuck: boolean; at: number }>;
  /** Each spec with how many learners it holds up in the lesson they ran last. */
  mostFailing: Array<{ lesson: number; file: string; test: string; learners: number }>;
  stuck: Array<{ name: string; lesson: number; file: string; test: string; minutes: number }>;
  stuckAfterMinutes: number;
  ended: boolean;
}

export interface Seen {
  /** The dashboard's clock when it first read this learner's latest record. */
  seenAt: number;
}

export function roomView(
  code: string,
  lessons: Array<{ number: number; title: string }>,
  learners: Array<LearnerState & Seen>,
  options: { now: number; stuckAfterMs: number; ended?: boolean },
): RoomView {
  const counts = new Map<string, { lesson: number; file: string; test: string; learners: number }>();
  const stuck: RoomView['stuck'] = [];
  const rows = [...learners]
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
    .map((learner) => {
      const cells: Cell[] = lessons.map(({ number }) => {
        const record = learner.lessons.get(number);
        if (!record) return { state: 'none' };
        const passed = record.exercises.reduce((n, e) => n + e.passed, 0);
        const total = record.exercises.reduce((n, e) => n + e.total, 0);
        return record.failing.length === 0 && passed === total ? { state: 'done', total } : { state: 'started', passed, total };
      });
      // What the learner works on now: the lesson they ran last; of a batch (progress --verify), the first unfinished one.
      const latest = [...learner.lessons.values()].sort(
        (a, b) => b.at - a.at || Number(a.failing.length === 0) - Number(b.failing.length === 0) || a.lesson - b.lesson,
      )[0];
      let isStuck = false;
      if (latest) {
        for (const f of latest.failing) {
          const key = `${latest.lesson}\u0000${f.file}\u0000${f.test}`;
          const entry = counts.get(key) ?? { lesson: latest.lesson, file: f.file, test: f.test, learners: 0 };
          entry.learners++;
          counts.set(key, entry);
        }
        const first = latest.failing[0];
        if (first) {
          // Both times on the learner's clock, then the dashboard's: a skewed laptop clock does not matter.
          const failingFor = latest.at - first.since + Math.max(0, options.now - learner.seenAt);
          if (failingFor >= options.stuckAfterMs) {
            isStuck = true;
            stuck.push({ name: learner.name, lesson: latest.lesson, file: first.file, test: first.test, minutes: Math.floor(failingFor / 60_000) });
          }
        }
      }
      return { name: learner.name, cells, stuck: isStuck, at: latest?.at ?? 0 };
    });
  const mostFailing = [...counts.values()]
    .sort((a, b) => b.learners - a.learners || a.lesson - b.lesson || a.test.localeCompare(b.test))
    .slice(0, 5);
  stuck.sort((a, b) => b.minutes - a.minutes || a.name.localeCompare(b.name));
  return {
    code,
    lessons,
    learners: rows,
    mostFailing,
    stuck,
    stuckAfterMinutes: options.stuckAfterMs / 60_000,
    ended: options.ended ?? false,
  };
}
