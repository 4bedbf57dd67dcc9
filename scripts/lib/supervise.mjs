// `npm run lesson N -- --watch` runs in a child process that this one watches
// over. A spec stuck in an endless loop blocks a worker thread that nothing in
// its own process can stop (scripts/lib/watchdog.ts): the child then says so
// and exits with `stuckExit`, and this process waits for the learner's next
// save and starts a fresh child. Plain JS, loaded before vitest: it costs the
// watch loop one Node start-up, once.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync, watch } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The exit code of a supervised run that stopped a stuck spec. */
export const stuckExit = 75;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Whether this process should supervise: a watching lesson run that is not itself the supervised child.
 * @param {string} command
 * @param {string[]} args
 */
export function shouldSupervise(command, args) {
  // npm swallows a --watch typed without the `--` before it into npm_config_watch.
  const watching = args.some((a) => a === '--watch' || a === '-w' || a === '--poll') || process.env.npm_config_watch === 'true' || process.env.npm_config_poll === 'true';
  return command === 'lesson' && process.env.CACHELINGS_SUPERVISED !== '1' && watching;
}

/**
 * The lesson folder a command line names, e.g. ['2', '--watch'] → lessons/02-ttl-caches.
 * @param {string[]} args
 */
function lessonDir(args) {
  const wanted = args.find((a) => !a.startsWith('-'));
  const slugs = readdirSync(path.join(root, 'lessons'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  const slug = /^\d+$/.test(wanted ?? '') ? slugs.find((s) => Number.parseInt(s, 10) === Number(wanted)) : slugs.find((s) => s === wanted);
  return slug ? path.join(root, 'lessons', slug) : undefined;
}

/**
 * Resolves at the next change of a file in `dir` (polling where file events are lost).
 * @param {string} dir
 * @param {boolean} poll
 * @returns {Promise<void>}
 */
function nextSave(dir, poll) {
  return new Promise((/** @type {() => void} */ resolve) => {
    if (poll) {
      const stamp = () => readdirSync(dir).map((f) => `${f}:${statSync(path.join(dir, f)).mtimeMs}`).join();
      const before = stamp();
      const timer = setInterval(() => {
        if (stamp() !== before) {
          clearInterval(timer);
          resolve();
        }
      }, 300);
      return;
    }
    const watcher = watch(dir, () => {
      watcher.close();
      resolve();
    });
  });
}

/**
 * Runs the command in a child, again after every save that follows a stuck spec, until it ends some other way.
 * @param {string} command
 * @param {string[]} args
 */
export async function supervise(command, args) {
  const dir = lessonDir(args);
  const poll = args.includes('--poll') || process.env.npm_config_poll === 'true';
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let child;
  // Ctrl+C reaches both processes; a stop sent to this one alone (an editor's stop
  // button, a kill, a script) must reach the run it watches over, or that run lives on.
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.on(signal, () => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
      else process.exit(130);
    });
  }
  for (;;) {
    const run = spawn(process.execPath, [fileURLToPath(new URL('../run.mjs', import.meta.url)), command, ...args], {
      stdio: 'inherit',
      env: { ...process.env, CACHELINGS_SUPERVISED: '1' },
    });
    child = run;
    /** @type {number} */
    const code = await new Promise((resolve) => run.on('exit', (c, signal) => resolve(signal ? 130 : (c ?? 1))));
    if (code !== stuckExit || !dir || !existsSync(dir)) process.exit(code);
    console.log(`\nWatching ${path.relative(root, dir)}/ for your next save. Ctrl+C to stop.`);
    await nextSave(dir, poll);
  }
}
