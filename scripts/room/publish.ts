/**
 * The learner's side of a workshop room: after every `npm run lesson N` (and
 * `npm run progress -- --verify`) the runner calls publishToRoom(), which
 * writes one small record per lesson run to the room's Redis.
 *
 * It never slows or fails a lesson run: no room joined costs one file read; a
 * room that does not answer within `timeoutMs` (1 s) is skipped with one dim line.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { dim, yellow } from '../lib/ui.js';
import { root } from '../lib/vitest-config.js';
import { roomKeys, learnerIdPattern } from './keys.js';
import { cleanText, limits, type ExerciseCount, type FailingSpec, type LessonRecord, type NameRecord } from './record.js';

/** What a learner's machine remembers of the room it joined (git-ignored, in .cachelings/). */
export interface JoinedRoom {
  code: string;
  name: string;
  learnerId: string;
  /** The room's Redis, with the per-room learner user in it when the server has ACLs. */
  redisUrl: string;
  /** Per lesson number, the record published last: a run of one exercise updates only its part of it. */
  published: Record<string, LessonRecord>;
}

/** The shape of a lesson run the runner hands over (scripts/lib/report.ts's ExerciseResult fits it). */
export interface RoomRun {
  /** files: the lesson's exercises in order (a run may cover only some of them). */
  lesson: { number: number; files?: string[] };
  exercises: Array<{
    file: string;
    passed: number;
    failed: number;
    tests: Array<{ name: string; state: string }>;
    errors: unknown[];
  }>;
}

/** How long a learner's keys live after their last run; `npm run room -- end` removes them at once. */
export const learnerTtlSeconds = 24 * 60 * 60;
export const defaultTimeoutMs = 1_000;

export const roomFile = (): string => process.env.CACHELINGS_ROOM_FILE ?? path.join(root, '.cachelings', 'room.json');

// A learner in a room will publish at the end of the run: load ioredis now, while the specs run,
// rather than after them (100-400 ms of a lesson run). Nobody else pays anything.
const importIoredis = () => import('ioredis');
let ioredis: ReturnType<typeof importIoredis> | undefined = existsSync(roomFile()) ? importIoredis() : undefined;
const loadIoredis = () => (ioredis ??= importIoredis());

export function readJoinedRoom(file = roomFile()): JoinedRoom | null {
  if (!existsSync(file)) return null;
  try {
    const room = JSON.parse(readFileSync(file, 'utf8')) as JoinedRoom;
    return typeof room.code === 'string' && learnerIdPattern.test(room.learnerId) ? { ...room, published: room.published ?? {} } : null;
  } catch {
    return null; // a damaged file is a room not joined
  }
}

export function saveJoinedRoom(room: JoinedRoom, file = roomFile()): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(room, null, 2)}\n`, { mode: 0o600 });
}

export function forgetJoinedRoom(file = roomFile()): boolean {
  if (!existsSync(file)) return false;
  rmSync(file);
  return true;
}

/**
 * The record after one run, merged into the one published before: exercises the
 * run did not cover keep their counts and failing specs, and a spec that keeps
 * failing keeps the time it began to. Pure: `now` is passed in.
 */
export function lessonRecord(run: RoomRun, previous: LessonRecord | undefined, now: number): LessonRecord {
  const ran = new Map(run.exercises.map((ex) => [cleanText(ex.file, limits.file), ex]));
  const order = [...new Set([...(run.lesson.files ?? []), ...(previous?.exercises ?? []).map((e) => e.file), ...ran.keys()])];
  const exercises: ExerciseCount[] = [];
  const failing: FailingSpec[] = [];
  for (const file of order) {
    const ex = ran.get(file);
    if (!ex) {
      const kept = previous?.exercises.find((e) => e.file === file);
      if (kept) exercises.push(kept);
      failing.push(...(previous?.failing ?? []).filter((f) => f.file === file));
      continue;
    }
    exercises.push({ file, passed: ex.passed, total: ex.passed + ex.failed });
    const names = ex.tests.filter((t) => t.state === 'failed').map((t) => t.name);
    if (ex.errors.length > 0) names.unshift('the spec could not run (a syntax error or a failing import?)');
    for (const name of names) {
      const test = cleanText(name, limits.spec);
      const since = previous?.failing.find((f) => f.file === file && f.test === test)?.since ?? now;
      failing.push({ file, test, since });
    }
  }
  return { v: 1, lesson: run.lesson.number, exercises: exercises.slice(0, limits.exercises), failing: failing.slice(0, limits.failing), at: now };
}

/**
 * A client that gives up fast: no retries, no offline queue, no commands beyond
 * the ones the learner user may run. It does not log in by itself: ioredis would
 * carry on as the default user after a refused AUTH, and write as somebody else.
 */
export async function learnerClient(url: string, timeoutMs: number): Promise<Redis & { credentials: string[] }> {
  const { Redis } = await loadIoredis();
  const address = new URL(url);
  const credentials = [decodeURIComponent(address.username), decodeURIComponent(address.password)].filter(Boolean);
  address.username = '';
  address.password = '';
  const client = new Redis(address.toString(), {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableReadyCheck: false, // INFO is not one of the learner user's commands
    disableClientInfo: true, // nor CLIENT SETINFO
  });
  return Object.assign(client, { credentials });
}

/** Connects and logs in; a refusal says why (ECONNREFUSED, WRONGPASS …) rather than "Connection is closed". */
export async function connect(client: Redis & { credentials?: string[] }): Promise<void> {
  let reason: Error | undefined;
  client.on('error', (error: Error) => (reason ??= error));
  await client.connect().catch((error: Error) => {
    throw reason ?? error;
  });
  if (client.credentials && client.credentials.length > 0) await client.call('AUTH', ...client.credentials);
}

/** Writes the learner's name and records, then tells the dashboard. Throws on any refusal. */
export async function writeRecords(client: Redis, room: JoinedRoom, records: LessonRecord[], now: number): Promise<void> {
  const keys = roomKeys(room.code);
  const name: NameRecord = { v: 1, name: cleanText(room.name, limits.name), at: now };
  const batch = client.pipeline().set(keys.learnerName(room.learnerId), JSON.stringify(name), 'EX', learnerTtlSeconds);
  for (const record of records) {
    batch.set(keys.learnerLesson(room.learnerId, record.lesson), JSON.stringify(record), 'EX', learnerTtlSeconds);
  }
  batch.publish(keys.channel, room.learnerId);
  const results = (await batch.exec()) ?? [];
  const refused = results.find(([error]) => error);
  if (refused) throw refused[0]!;
}

export interface PublishOptions {
  timeoutMs?: number;
  now?: number;
  file?: string;
  /** Where the one line goes; console.log by default. */
  log?: (line: string) => void;
}

/**
 * The runner's one call: publishes these runs to the joined room, if any.
 * Never throws and never takes much longer than the timeout.
 */
export async function publishToRoom(runs: RoomRun[], options: PublishOptions = {}): Promise<'published' | 'not joined' | 'skipped'> {
  const file = options.file ?? roomFile();
  const log = options.log ?? console.log;
  const room = readJoinedRoom(file);
  if (!room || runs.length === 0) return 'not joined';
  const timeoutMs = options.timeoutMs ?? Number(process.env.CACHELINGS_ROOM_TIMEOUT_MS ?? defaultTimeoutMs);
  const now = options.now ?? Date.now();

  const records = runs.map((run) => {
    const record = lessonRecord(run, room.published[String(run.lesson.number)], now);
    room.published[String(run.lesson.number)] = record;
    return record;
  });
  saveJoinedRoom(room, file);

  await loadIoredis(); // loading code is not waiting for the network: it is not part of the timeout
  let client: Redis | undefined;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([
      (async () => {
        client = await learnerClient(room.redisUrl, timeoutMs);
        await connect(client);
        await writeRecords(client, room, records, now);
      })(),
      deadline,
    ]);
    log(dim(`→ room ${room.code}: published as ${cleanText(room.name, limits.name)}`));
    return 'published';
  } catch (error) {
    const message = cleanText((error as Error).message, 120);
    const ended = /WRONGPASS|NOAUTH|NOPERM/.test(message);
    log(ended ? yellow(`→ room ${room.code} refused this run (${message}): has it ended? npm run room -- leave`) : dim(`→ room ${room.code} not reachable (${message}); this run was not published`));
    return 'skipped';
  } finally {
    clearTimeout(timer);
    client?.disconnect();
  }
}
