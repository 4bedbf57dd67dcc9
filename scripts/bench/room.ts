/**
 * What the workshop room costs a lesson run: publishToRoom() timed cold in a
 * fresh process (loading ioredis included), for a room on a local redis-server
 * with its ACL learner user, a room that refuses the connection, and a room
 * that accepts it and never answers (the 1 s timeout). Then whole
 * `npm run lesson 1` runs with and without a joined room.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { newLearnerId } from '../room/keys.js';
import { saveJoinedRoom } from '../room/publish.js';
import { createRoom, endRoom } from '../room/store.js';
import { root } from '../lib/vitest-config.js';
import { freePort, startRedisServer } from '../../test/support/redis-server.js';
import { median } from './support/stats.js';

export const title = 'The workshop room: what publishing adds to a lesson run';

const RUNS = 15;
const LESSON_RUNS = 5;
const tsx = path.join(root, 'node_modules/tsx/dist/cli.mjs');
const row = (cells: string[]) => console.log(`| ${cells.join(' | ')} |`);
const spread = (xs: number[], unit: string, digits = 0) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)} ${unit}`;

function publishOnce(file: string, warm: boolean): { ms: number; outcome: string } {
  const out = spawnSync(process.execPath, [tsx, 'scripts/bench/support/room-publish-once.ts', ...(warm ? ['--warm'] : [])], { cwd: root, env: { ...process.env, CACHELINGS_ROOM_FILE: file }, encoding: 'utf8' });
  const [ms, outcome] = out.stdout.trim().split(' ');
  return { ms: Number(ms), outcome: outcome ?? out.stderr };
}

function lessonSeconds(file: string): number {
  const start = performance.now();
  spawnSync('npm', ['run', '--silent', 'lesson', '1'], { cwd: root, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1', CACHELINGS_ROOM_FILE: file } });
  return (performance.now() - start) / 1000;
}

export default async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cachelings-bench-room-'));
  const server = await startRedisServer();
  const admin = new Redis(server.url);
  const room = await createRoom(admin, server.url, { ttlSeconds: 600 });
  const sockets: Socket[] = [];
  const silent = createServer((s) => sockets.push(s));
  const silentPort = await freePort();
  await new Promise<void>((resolve) => silent.listen(silentPort, '127.0.0.1', resolve));
  const joined = (name: string, redisUrl: string) => {
    const file = path.join(dir, `${name}.json`);
    saveJoinedRoom({ code: room.keys.code, name, learnerId: newLearnerId(), redisUrl, published: {} }, file);
    return file;
  };
  const cases = [
    ['a reachable room (ACL learner user)', joined('reachable', room.learnerUrl)],
    ['a room that refuses the connection', joined('refused', `redis://127.0.0.1:${await freePort()}`)],
    ['a room that never answers (timeout 1 s)', joined('silent', `redis://127.0.0.1:${silentPort}`)],
    ['no room joined', path.join(dir, 'none.json')],
  ] as const;
  try {
    for (const warm of [true, false]) {
      row([`publishToRoom(), ${warm ? 'ioredis loaded (as in a lesson run)' : 'cold: loading ioredis too'}`, `median of ${RUNS}`, 'spread', 'outcome']);
      row(['---', '---', '---', '---']);
      for (const [label, file] of cases) {
        const runs = Array.from({ length: label.includes('never') ? 5 : RUNS }, () => publishOnce(file, warm));
        const ms = runs.map((r) => r.ms);
        row([label, `${median(ms).toFixed(1)} ms`, spread(ms, 'ms', 1), runs[0]!.outcome]);
      }
      console.log('');
    }
    row(['npm run lesson 1 (mock, red starters)', `median of ${LESSON_RUNS}`, 'spread']);
    row(['---', '---', '---']);
    // Interleaved, so that a busy moment of the machine does not land on one side only.
    const sides = [cases[3], cases[0]] as const;
    const times: number[][] = [[], []];
    sides.forEach(([, file]) => lessonSeconds(file));
    for (let i = 0; i < LESSON_RUNS; i++) sides.forEach(([, file], side) => times[side]!.push(lessonSeconds(file)));
    sides.forEach(([label], side) => row([label, `${median(times[side]!).toFixed(2)} s`, spread(times[side]!, 's', 2)]));
  } finally {
    sockets.forEach((s) => s.destroy());
    silent.close();
    await endRoom(admin, room.keys, room.secret);
    admin.disconnect();
    await server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
