/**
 * `npm run lesson 1 -- --watch` as a learner meets it, in a scratch copy of the
 * kata: every save prints the whole lesson again, current; a save of the
 * reference turns that exercise green; putting the starter back turns it red;
 * one save is one report, however the runner reruns; and a stop ends it all.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../../scripts/lib/vitest-config.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cachelings-watch-'));
const copy = path.join(dir, 'kata');
const exercise = 'lessons/01-memoization/cache-key.ts';
let child: ChildProcess | undefined;
let output = '';

/** Resolves when the output since `from` passes `test`. */
function until(test: (text: string) => boolean, from = 0): Promise<string> {
  return new Promise((resolve) => {
    const check = () => {
      const text = output.slice(from);
      if (!test(text)) return;
      child?.stdout?.off('data', check);
      resolve(text);
    };
    child?.stdout?.on('data', check);
    check();
  });
}

const reports = (text: string) => text.split('Lesson 1: ').length - 1;
const watching = (text: string) => text.trimEnd().endsWith('Ctrl+C to stop.');
const line = (text: string, file: string) => text.split('\n').filter((l) => l.includes(`${file}  `)).at(-1) ?? '';

beforeAll(async () => {
  // The files git knows, as they are now (uncommitted changes too), and the installed packages.
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    try {
      copyFileSync(path.join(root, file), path.join(copy, file));
    } catch {
      // deleted in the working tree
    }
  }
  symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
  child = spawn(process.execPath, ['scripts/run.mjs', 'lesson', '1', '--watch'], {
    cwd: copy,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', REDIS_URL: '', CACHELINGS_STATE_DIR: path.join(dir, 'state') },
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await until(watching);
}, 60_000);

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run lesson 1 -- --watch', () => {
  it('starts with the whole lesson red', () => {
    expect(reports(output)).toBe(1);
    expect(line(output, 'cache-key.ts')).toContain('✗');
  });

  let lastSave = 0;

  it('reports a save of the reference with that exercise green', { timeout: 30_000 }, async () => {
    lastSave = output.length;
    copyFileSync(path.join(copy, 'solutions/01-memoization/cache-key.ts'), path.join(copy, exercise));
    const text = await until(watching, lastSave);
    expect(line(text, 'cache-key.ts')).toMatch(/✓ cache-key\.ts\s+12\/12 passing/);
  });

  it('reports the starter put back with that exercise red again, and each save once', { timeout: 30_000 }, async () => {
    expect(reports(output.slice(lastSave))).toBe(1);
    lastSave = output.length;
    writeFileSync(path.join(copy, exercise), execFileSync('git', ['show', `HEAD:${exercise}`], { cwd: root, encoding: 'utf8' }));
    const text = await until(watching, lastSave);
    expect(line(text, 'cache-key.ts')).toContain('✗ cache-key.ts');
    expect(reports(text)).toBe(1);
  });

  it('ends, and the run it watches over with it, on a stop sent to it alone (not only on Ctrl+C to both)', { timeout: 30_000 }, async () => {
    // Its output closes only when every process that holds it has ended: the watched run too.
    const closed = new Promise<number | null>((resolve) => child!.on('close', resolve));
    child!.kill('SIGTERM');
    expect(await closed).not.toBe(0);
  });
});
