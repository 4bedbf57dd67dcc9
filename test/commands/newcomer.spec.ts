/**
 * A newcomer's slips, each met with a message that says what happened and what
 * to type next: joining a room that is not there, a lesson that only ran, a
 * deleted starter, an exercise and a part that disagree, reset outside a git
 * clone, and a mutation run that rewrites a committed file for nothing.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import RedisMock from 'ioredis-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findLesson, withFiles, type LessonEntry } from '../../manifest.js';
import { canonicalReport, stableReportText } from '../../scripts/lib/mutation-report.js';
import { printLessonReport, type ExerciseResult } from '../../scripts/lib/report.js';
import { fileFingerprints, mergeRun } from '../../scripts/lib/state.js';
import { plain } from '../../scripts/lib/ui.js';
import { root } from '../../scripts/lib/vitest-config.js';
import { roomKeys } from '../../scripts/room/keys.js';
import { createRoom, joinProblem } from '../../scripts/room/store.js';
import { hasRedisServer, startRedisServer, type ThrowawayRedis } from '../support/redis-server.js';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'cachelings-newcomer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CACHELINGS_STATE_DIR: path.join(dir, 'state') };

/** A kata command as package.json starts it; its exit code and both outputs. */
async function command(script: string, args: string[], extra: NodeJS.ProcessEnv = {}, cwd = root) {
  const start = ['lesson', 'progress'].includes(script) ? [path.join(root, 'scripts/run.mjs'), script] : ['--import', 'tsx', path.join(cwd, `scripts/${script}.ts`)];
  return run(process.execPath, [...start, ...args], { cwd, env: { ...env, ...extra } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

describe('npm run room -- join CODE --name Bob: the room must exist where join looks', () => {
  const keys = roomKeys('abcdefghjk');

  it('is refused where there is no such room, allowed where there is, and where only the room\'s own learner user can tell', async () => {
    const redis = new RedisMock();
    expect(await joinProblem(redis, keys)).toMatch(/there is no room abcdefghjk on this Redis: it has ended or expired, or it lives on another Redis/);
    await redis.set(keys.meta, '{}');
    expect(await joinProblem(redis, keys)).toBeNull();
    const learnerUser = { exists: () => Promise.reject(new Error("NOPERM User cachelings-room-abcdefghjk has no permissions to run the 'exists' command")) };
    expect(await joinProblem(learnerUser, keys, [keys.aclUser, 'pw'])).toBeNull();
    expect(await joinProblem(redis, keys, ['cachelings-room-zzzzzzzzzz', 'pw'])).toMatch(/belong to two different rooms/);
    redis.disconnect();
  });

  describe('for real, on a redis-server of this spec', () => {
    let server: ThrowawayRedis | undefined;
    let admin: Redis;
    beforeAll(async () => {
      if (!hasRedisServer) return;
      server = await startRedisServer();
      admin = new Redis(server.url);
    }, 20_000);
    afterAll(async () => {
      admin?.disconnect();
      await server?.kill();
    });

    (hasRedisServer ? it : it.skip)('an ended room (or another Redis) writes nothing and says to copy the whole command; an open one joins', { timeout: 30_000 }, async () => {
      const file = path.join(dir, 'room.json');
      const refused = await command('room', ['join', 'abcdefghjk', '--name', 'Bob', '--redis', server!.url], { CACHELINGS_ROOM_FILE: file });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('Not joined: there is no room abcdefghjk on this Redis');
      expect(refused.stderr).toContain('Copy the whole join command the instructor gave you');
      expect(refused.stdout).not.toContain('You are in room');
      expect(await admin.dbsize()).toBe(0);
      expect(existsSync(file)).toBe(false);

      const room = await createRoom(admin, server!.url, { ttlSeconds: 600, acl: false });
      const joined = await command('room', ['join', room.keys.code, '--name', 'Bob', '--redis', server!.url], { CACHELINGS_ROOM_FILE: file });
      expect(joined.stdout).toContain(`✓ You are in room ${room.keys.code} as Bob.`);
    });
  });
});

describe('npm run progress: a lesson that only ran is not started, as --verify says', () => {
  it('shows a run of an unedited starter as not started, with what happened and what to do', { timeout: 30_000 }, async () => {
    const lesson = findLesson(2)!;
    const record = mergeRun(undefined, lesson, lesson.files.map((file, i) => ({ file, passed: i === 0 ? 7 : 0, total: 10, failed: true })), fileFingerprints(lesson), 'now');
    const total = 10 * lesson.files.length;
    const state = path.join(dir, 'progress-state');
    rmSync(state, { recursive: true, force: true });
    mkdirSync(state, { recursive: true });
    writeFileSync(path.join(state, 'progress.json'), JSON.stringify({ [lesson.slug]: record }));
    const { stdout } = await command('progress', [], { CACHELINGS_STATE_DIR: state });
    const line = stdout.split('\n').find((l) => l.includes(lesson.title))!;
    expect(line).toContain('not started');
    expect(line).toContain(`ran 7/${total} on the starter, nothing edited yet: edit lessons/${lesson.slug}/ and run npm run lesson 2 again`);
    expect(line).not.toContain('◐');
  });
});

describe('a deleted starter file', () => {
  // Lesson 2's folder, with an exercise file that is not there (as if the learner deleted it).
  const entry: LessonEntry = {
    number: 2,
    slug: '02-ttl-caches',
    title: 'TTL caches',
    sections: ['2.3'],
    backend: 'none',
    exercises: [{ file: 'deleted-one.ts', hints: ['a nudge, long enough', 'nearly the answer, in words'] }],
  };
  const lesson = withFiles([entry])[0]!;
  const gone: ExerciseResult = { file: 'deleted-one.ts', passed: 0, failed: 1, skipped: [], tests: [], errors: [{ message: "Cannot find package '@kata/02-ttl-caches/deleted-one.js'" } as never] };

  it('is named as missing, with the command that brings it back, not as a spec that no longer fits', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const typeErrors = [{ file: 'test/02-ttl-caches/deleted-one.spec.ts', line: 2, column: 24, code: 'TS2307', message: "Cannot find module '@kata/02-ttl-caches/deleted-one.js' or its corresponding type declarations." }];
    printLessonReport(lesson, 'lessons', 'none', [gone], { onMock: false, typeErrors });
    const text = plain(log.mock.calls.map((c) => c.join(' ')).join('\n'), false);
    log.mockRestore();
    expect(text).toContain('✗ lessons/02-ttl-caches/deleted-one.ts is missing (deleted or renamed?)');
    expect(text).toContain('npm run reset 2 deleted-one puts back its starter (that file only; npm run reset 2 puts back the whole lesson)');
    expect(text).toContain('(lessons/02-ttl-caches/deleted-one.ts is missing)');
    expect(text).not.toContain('the spec no longer fits your exports');
    expect(text).toMatch(/deleted-one\.ts\s+missing/);
  });
});

describe('an exercise and a part that disagree', () => {
  it('npm run lesson 1 cache-key -- --part 2 says cache-key is in part 1, and how to run either', { timeout: 30_000 }, async () => {
    // The reference (--target solutions): the same check, without a type-check of the starters.
    const { code, stderr } = await command('lesson', ['1', 'cache-key', '--part', '2', '--target', 'solutions']);
    expect(code).toBe(1);
    expect(stderr).toContain('cache-key is in part 1 of lesson 1, not part 2. Run one or the other:');
    expect(stderr).toMatch(/npm run lesson 1 cache-key\s+the exercise alone/);
    expect(stderr).toMatch(/npm run lesson 1 -- --part 2\s+part 2: /);
  });
});

describe('npm run reset, in plain words', () => {
  const inGit = (() => {
    try {
      execFileSync('git', ['rev-parse', '--git-dir'], { cwd: root, stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it('outside a git clone (a ZIP download) changes nothing and says how to get the files', { timeout: 30_000 }, async () => {
    const { code, stderr } = await command('reset', ['2', 'jitter', '--yes'], { GIT_DIR: path.join(dir, 'no-git-here'), GIT_CEILING_DIRECTORIES: path.dirname(root) });
    expect(code).toBe(1);
    expect(stderr).toContain('reset takes the starter files from git, and this folder is not a git clone (a ZIP download?), so nothing was changed.');
    expect(stderr).toContain('git clone');
    expect(stderr).not.toContain('@{upstream}');
  });

  (inGit ? it : it.skip)('in a clone, puts back a deleted starter "as shipped", without asking (there is nothing to lose)', { timeout: 60_000 }, async () => {
    const clone = path.join(dir, 'clone');
    execFileSync('git', ['clone', '--quiet', '--no-checkout', root, clone]);
    execFileSync('git', ['checkout', '--quiet', 'HEAD', '--', 'lessons', 'manifest.ts', 'package.json'], { cwd: clone });
    cpSync(path.join(root, 'scripts'), path.join(clone, 'scripts'), { recursive: true }); // the scripts as they are now
    symlinkSync(path.join(root, 'node_modules'), path.join(clone, 'node_modules'));
    const lesson = findLesson(2)!;
    const file = path.join(clone, 'lessons', lesson.slug, 'jitter.ts');
    const starter = readFileSync(file, 'utf8');
    rmSync(file);
    const { code, stdout } = await command('reset', ['2', 'jitter'], {}, clone);
    expect(code).toBe(0);
    expect(stdout).toContain('✓ lesson 2: jitter.ts put back as shipped');
    expect(stdout).not.toContain('@{upstream}');
    expect(readFileSync(file, 'utf8')).toBe(starter);
  });
});

describe('npm run mutation N rewrites mutation/<part>.json only when its content changed', () => {
  const report = (order: 'a' | 'b', root = '/home/ann/cachelings') => {
    const tests = [
      { id: order === 'a' ? '0' : '7', name: 'f > first', location: { start: { line: 3, column: 3 } } },
      { id: order === 'a' ? '1' : '3', name: 'f > second', location: { start: { line: 9, column: 3 } } },
    ];
    const [first, second] = order === 'a' ? ['0', '1'] : ['7', '3'];
    const mutants = [
      { id: order === 'a' ? '0' : '5', mutatorName: 'BlockStatement', replacement: '{}', status: 'Killed', killedBy: [first], coveredBy: order === 'a' ? [first, second] : [second, first], location: { start: { line: 1, column: 1 }, end: { line: 4, column: 2 } } },
      { id: order === 'a' ? '1' : '2', mutatorName: 'EqualityOperator', replacement: 'a <= b', status: 'Survived', coveredBy: [second], location: { start: { line: 2, column: 10 }, end: { line: 2, column: 16 } } },
    ];
    return {
      files: { 'solutions/x.ts': { language: 'typescript', mutants: order === 'a' ? mutants : [...mutants].reverse(), source: 'x' } },
      schemaVersion: '2',
      testFiles: { 'test/x.spec.ts': { tests: order === 'a' ? tests : [...tests].reverse(), source: 'y' } },
      projectRoot: root,
    };
  };

  it('keeps the committed text when a run found the same, in another order and another checkout', () => {
    const committed = JSON.stringify(canonicalReport(report('a')), null, 2);
    expect(stableReportText(committed, JSON.stringify(report('b', '/work/elsewhere'), null, 2))).toBe(committed);
  });

  it('keeps the committed text of a full run when an incremental run found the same (no durations, keys in another order, another config)', () => {
    const full = report('a');
    full.files['solutions/x.ts']!.mutants[0] = { ...full.files['solutions/x.ts']!.mutants[0]!, duration: 14.6 } as never;
    const committed = JSON.stringify(canonicalReport({ ...full, config: { force: true } } as never), null, 2);
    const incremental = report('b');
    const mutants = incremental.files['solutions/x.ts']!.mutants;
    const killed = mutants.find((m) => m.status === 'Killed');
    const survived = mutants.find((m) => m.status === 'Survived');
    incremental.files['solutions/x.ts']!.mutants = [{ ...survived!, killedBy: [] } as never, Object.fromEntries(Object.entries(killed!).reverse()) as never];
    expect(stableReportText(committed, JSON.stringify({ ...incremental, config: { force: false } }, null, 2))).toBe(committed);
  });

  it('writes a changed report in the stable order, ids renumbered consistently, the committed checkout path kept', () => {
    const committed = JSON.stringify(canonicalReport(report('a')), null, 2);
    const changed = report('b', '/work/elsewhere');
    changed.files['solutions/x.ts']!.mutants[0]!.status = 'Killed';
    const text = stableReportText(committed, JSON.stringify(changed, null, 2));
    expect(text).not.toBe(committed);
    const written = JSON.parse(text) as ReturnType<typeof report>;
    expect(written.projectRoot).toBe('/home/ann/cachelings');
    expect(written.testFiles['test/x.spec.ts']!.tests.map((t) => [t.id, t.name])).toEqual([['0', 'f > first'], ['1', 'f > second']]);
    const [block, equality] = written.files['solutions/x.ts']!.mutants;
    expect([block!.id, block!.killedBy, block!.coveredBy]).toEqual(['0', ['0'], ['0', '1']]);
    expect([equality!.id, equality!.status, equality!.coveredBy]).toEqual(['1', 'Killed', ['1']]);
  });
});
