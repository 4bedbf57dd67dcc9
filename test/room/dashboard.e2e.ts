/**
 * The room end to end, in a real browser: Debian's chromium driven by
 * playwright-core. Three learners join with the real `npm run room -- join`,
 * publish lesson runs, and the open page changes without a reload: the grid,
 * the most failing spec, the stuck marker (the dashboard's clock is moved on
 * ten minutes, not slept). A hostile name renders as text. The screenshot goes
 * to reports/room/dashboard.png (git-ignored). Then the projector: at 1280×720
 * and at 1920×1080, with every lesson started by someone and three-digit
 * counts, all eleven lessons are on screen with no horizontal scrolling and no
 * count cut off (reports/room/dashboard-<size>.png).
 *
 * Run it with `npm run test:room` (CI: scripts/ci/room-stage.sh). It needs
 * redis-server and chromium (apt-get install chromium); without them it is
 * skipped with a line that says so.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { lessons } from '../../manifest.js';
import { publishToRoom, readJoinedRoom, type RoomRun } from '../../scripts/room/publish.js';
import { startDashboard, type Dashboard } from '../../scripts/room/server.js';
import { createRoom, endRoom, type CreatedRoom } from '../../scripts/room/store.js';
import { root } from '../../scripts/lib/vitest-config.js';
import { hasRedisServer, startRedisServer, type ThrowawayRedis } from '../support/redis-server.js';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const canRun = hasRedisServer && existsSync(chromiumPath);
const test = canRun
  ? it
  : (name: string, fn: () => Promise<void>) =>
      it.skip(`${name} [skipped: needs redis-server and ${chromiumPath}; apt-get install -y --no-install-recommends chromium redis-server, or set CHROMIUM_PATH]`, fn);

export const screenshot = path.join(root, 'reports', 'room', 'dashboard.png');
const xss = '<img src=x onerror=alert(1)>';
const tenMinutes = 10 * 60_000;

let server: ThrowawayRedis;
let admin: Redis;
let subscriber: Redis;
let room: CreatedRoom;
let dashboard: Dashboard;
let browser: BrowserContext;
let page: Page;
let dir: string;
let clockOffset = 0;

beforeAll(async () => {
  if (!canRun) return;
  server = await startRedisServer();
  admin = new Redis(server.url);
  subscriber = admin.duplicate();
  room = await createRoom(admin, server.url, { ttlSeconds: 600 });
  dashboard = await startDashboard({
    redis: admin,
    subscriber,
    keys: room.keys,
    secret: room.secret,
    lessons: lessons.map((l) => ({ number: l.number, title: l.title })),
    stuckAfterMs: tenMinutes,
    flushMs: 50,
    tickMs: 200,
    now: () => Date.now() + clockOffset,
  });
  dir = mkdtempSync(path.join(tmpdir(), 'cachelings-room-e2e-'));
  // A fresh profile each run (playwright passes it as --user-data-dir); a 1080p projector.
  browser = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1600, height: 900 },
    deviceScaleFactor: 1.2,
  });
  page = browser.pages()[0] ?? (await browser.newPage());
}, 60_000);

afterAll(async () => {
  if (!canRun) return;
  await browser?.close();
  await dashboard?.close();
  if (room) await endRoom(admin, room.keys, room.secret);
  subscriber?.disconnect();
  admin?.disconnect();
  await server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

const run = promisify(execFile);
/** `npm run room -- join`, as a learner types it, with their own state file. */
async function join(who: string, name: string): Promise<string> {
  const file = path.join(dir, `${who}.json`);
  await run(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/room.ts', 'join', room.keys.code, '--name', name, '--redis', room.learnerUrl], {
    cwd: root,
    env: { ...process.env, CACHELINGS_ROOM_FILE: file, NO_COLOR: '1' },
  });
  expect(readJoinedRoom(file)?.name).toBe(name);
  return file;
}

/** A run of lesson 1 as the runner hands it to publishToRoom. */
function lesson1(failing: string[]): RoomRun {
  const lesson = lessons[0]!;
  return {
    lesson,
    exercises: lesson.files.map((file, i) => {
      const names = i === 0 ? failing : [];
      return {
        file,
        passed: 4,
        failed: names.length,
        tests: [...names.map((name) => ({ name, state: 'failed' })), { name: 'ok', state: 'passed' }],
        errors: [],
      };
    }),
  };
}

const rowOf = (name: string) => page.locator('#grid tr').filter({ has: page.locator('td.learner', { hasText: name }) });
const cell = (name: string, lesson: number) => rowOf(name).locator(`td[data-lesson="${lesson}"]`);

test('three learners join and run lessons; the open page follows without a reload', async () => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  let navigations = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations++;
  });
  await page.goto(dashboard.url);
  await expect.poll(() => page.locator('#status').textContent()).toMatch(/live/);
  await expect.poll(() => page.locator('#empty').isVisible()).toBe(true);

  const [ann, bob, cy] = await Promise.all([join('ann', 'Ann'), join('bob', 'Bob'), join('cy', xss)]);
  await expect.poll(() => page.locator('#grid td.learner').allTextContents()).toEqual([xss, 'Ann', 'Bob']); // by name: '<' sorts first
  expect(await cell('Ann', 1).textContent()).toBe('·');

  const hard = 'cacheKey > keys dates by their instant';
  const quiet = { log: () => {} };
  expect(await publishToRoom([lesson1([hard, 'cacheKey > tells 1 from "1"'])], { file: ann, ...quiet })).toBe('published');
  await expect.poll(() => cell('Ann', 1).textContent()).toBe(`${4 * lessons[0]!.files.length}/${4 * lessons[0]!.files.length + 2}`);
  await expect.poll(() => cell('Ann', 1).getAttribute('class')).toContain('started');

  expect(await publishToRoom([lesson1([hard])], { file: bob, ...quiet })).toBe('published');
  expect(await publishToRoom([lesson1([])], { file: cy, ...quiet })).toBe('published');
  await expect.poll(() => cell(xss, 1).textContent()).toBe('✓');
  await expect.poll(() => page.locator('#failing li').first().locator('.spec').textContent()).toBe(hard);
  expect(await page.locator('#failing li').first().locator('.count').textContent()).toBe('2');
  expect(await page.locator('#stuck li').allTextContents()).toEqual(['Nobody.']);

  // Ten minutes later on the dashboard's clock, Ann and Bob still fail the same spec.
  clockOffset = tenMinutes + 60_000;
  await expect.poll(() => page.locator('#stuck li .spec').allTextContents()).toEqual(['Ann', 'Bob']);
  expect(await rowOf('Ann').getAttribute('class')).toContain('stuck');
  expect((await rowOf(xss).getAttribute('class')) ?? '').not.toContain('stuck');

  // Bob moves on: lesson 1 passes, lesson 2 started.
  const lesson2: RoomRun = { lesson: lessons[1]!, exercises: [{ file: lessons[1]!.files[0]!, passed: 3, failed: 1, tests: [{ name: 'ttlCache > forgets an entry after its ttl', state: 'failed' }], errors: [] }] };
  expect(await publishToRoom([lesson1([]), lesson2], { file: bob, ...quiet })).toBe('published');
  await expect.poll(() => cell('Bob', 1).textContent()).toBe('✓');
  await expect.poll(() => page.locator('#stuck li .spec').allTextContents()).toEqual(['Ann']);
  await expect.poll(() => page.locator('#failing li .spec').allTextContents()).toContain('ttlCache > forgets an entry after its ttl');

  // The hostile name is text: no <img> in the page, no alert.
  expect(await page.locator('#grid img, #stuck img').count()).toBe(0);
  expect(dialogs).toEqual([]);
  expect(navigations).toBe(1);

  mkdirSync(path.dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });
}, 60_000);

/** A run of one lesson with `passed` of `total` specs passing, spread over its exercises. */
function lessonRun(number: number, passed: number, total: number): RoomRun {
  const lesson = lessons.find((l) => l.number === number)!;
  const failing = total - passed;
  return {
    lesson,
    exercises: [{ file: lesson.files[0]!, passed, failed: failing, tests: failing > 0 ? [{ name: `lesson ${number} > still failing`, state: 'failed' }] : [], errors: [] }],
  };
}

for (const [width, height] of [[1280, 720], [1920, 1080]] as const) {
  test(`at ${width}×${height}, every lesson is on screen: no horizontal scrolling, no count cut off`, async () => {
    // Every lesson started by somebody, with the widest counts a lesson has (three digits).
    const dee = await join(`dee-${width}`, `Dee ${width}`);
    const quiet = { log: () => {} };
    expect(await publishToRoom(lessons.map((l) => lessonRun(l.number, 138, 140)), { file: dee, ...quiet })).toBe('published');
    await page.setViewportSize({ width, height });
    await expect.poll(() => cell(`Dee ${width}`, lessons.at(-1)!.number).textContent()).toBe('138/140');
    mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot.replace(/\.png$/, `-${width}x${height}.png`) });

    // Measured in the page (a string: the Node side of tsconfig has no DOM types).
    const layout = (await page.evaluate(`(() => {
      const panel = document.querySelector('.grid-panel');
      return {
        page: { scroll: document.documentElement.scrollWidth, width: window.innerWidth },
        panel: { scroll: panel.scrollWidth, width: panel.clientWidth },
        headers: [...document.querySelectorAll('#grid th')].map((th) => ({ text: th.textContent, right: th.getBoundingClientRect().right })),
        clipped: [...document.querySelectorAll('#grid td.cell')].filter((td) => td.scrollWidth > td.clientWidth).map((td) => td.textContent),
      };
    })()`)) as {
      page: { scroll: number; width: number };
      panel: { scroll: number; width: number };
      headers: Array<{ text: string; right: number }>;
      clipped: string[];
    };
    expect(layout.page.scroll).toBeLessThanOrEqual(layout.page.width);
    expect(layout.panel.scroll).toBeLessThanOrEqual(layout.panel.width);
    expect(layout.headers.map((h) => h.text).slice(1)).toEqual(lessons.map((l) => String(l.number).padStart(2, '0')));
    for (const header of layout.headers) expect(header.right, `lesson ${header.text}`).toBeLessThanOrEqual(width);
    expect(layout.clipped).toEqual([]);
  }, 60_000);
}
