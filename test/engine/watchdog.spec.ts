/**
 * A spec stuck in an endless loop cannot be stopped by its own timeout (a timer
 * in the worker it blocks): the runner's watchdog reads what each worker noted
 * before each test, and ends the run a few seconds past that test's timeout.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeStuck, graceMs, hardLimitFactor, stuckTest, type Clocks } from '../../scripts/lib/watchdog.js';

describe('the watchdog', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const noteDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cachelings-watchdog-spec-'));
    dirs.push(dir);
    return dir;
  };
  const note = (dir: string, worker: string, seq: number, name: string, timeoutMs = 1_000) =>
    writeFileSync(path.join(dir, `${worker}.json`), JSON.stringify({ seq, spec: 'test/02-x/a.spec.ts', name, timeoutMs }));

  /** A process that spins a whole core: its CPU time grows with the wall clock. */
  const spinning = (now: number): Clocks => ({ now, cpu: now });
  const limit = 1_000 + graceMs;

  it('names a test still running past its timeout plus the grace while a core spins, timed from when it was first seen', () => {
    const dir = noteDir();
    const seen = new Map<string, Clocks>();
    note(dir, '1-1', 4, 'TtlCache > set');
    expect(stuckTest(dir, spinning(10_000), seen)).toBeUndefined();
    expect(stuckTest(dir, spinning(10_000 + limit), seen)).toBeUndefined();
    expect(stuckTest(dir, spinning(10_000 + limit + 1), seen)).toMatchObject({ name: 'TtlCache > set', runningMs: limit + 1 });
  });

  it('waits longer for a test on a starved machine (the process got little CPU), up to four times the limit', () => {
    const dir = noteDir();
    const seen = new Map<string, Clocks>();
    note(dir, '1-1', 1, 'slow, not stuck');
    stuckTest(dir, { now: 0, cpu: 0 }, seen);
    expect(stuckTest(dir, { now: 2 * limit, cpu: 0.1 * 2 * limit }, seen)).toBeUndefined();
    expect(stuckTest(dir, { now: hardLimitFactor * limit + 1, cpu: 0.1 * 4 * limit }, seen)?.name).toBe('slow, not stuck');
  });

  it('starts the clock again for the next test of the same worker, and ignores a note it cannot read', () => {
    const dir = noteDir();
    const seen = new Map<string, Clocks>();
    note(dir, '1-1', 1, 'first');
    stuckTest(dir, spinning(0), seen);
    note(dir, '1-1', 2, 'second');
    writeFileSync(path.join(dir, '1-2.json'), '{"seq": 1, "spe');
    expect(stuckTest(dir, spinning(limit + 1), seen)).toBeUndefined();
    expect(stuckTest(dir, spinning(2 * limit + 2), seen)?.name).toBe('second');
  });

  it('says which spec never returned, for how long, and what an endless loop looks like', () => {
    const text = describeStuck({ seq: 1, spec: 'test/02-ttl-caches/ttl-cache.spec.ts', name: 'TtlCache > evicts', timeoutMs: 10_000, runningMs: 13_400 }, 'lessons/02-ttl-caches/');
    expect(text).toContain('test/02-ttl-caches/ttl-cache.spec.ts › TtlCache > evicts');
    expect(text).toContain('run for 13 s, past its 10 s timeout');
    expect(text).toContain('endless loop');
    expect(text).toContain('lessons/02-ttl-caches/');
  });
});
