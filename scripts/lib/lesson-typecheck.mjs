// The type-check of one lesson (its starters and its specs), as a tsc child process.
// Plain JS so that scripts/run.mjs can start it first thing, before it loads vitest:
// tsc then runs on the second core while the first loads vitest, and costs
// `npm run lesson N` almost no time. scripts/lib/typecheck.ts reads its result.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** @typedef {{ ok: boolean, output: string }} TscRun */

/**
 * Type-checks lessons/<slug>/ and test/<slug>/ (a project written to the git-ignored .cachelings/).
 * @param {string} slug
 * @returns {Promise<TscRun>}
 */
export function startLessonTypecheck(slug) {
  const dir = path.join(root, '.cachelings');
  mkdirSync(dir, { recursive: true });
  const config = path.join(dir, `tsconfig.${slug}.json`);
  const project = { extends: '../tsconfig.lessons.json', include: [`../lessons/${slug}`, `../test/${slug}`] };
  writeFileSync(config, `${JSON.stringify(project, null, 2)}\n`);
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  // One thread: vitest is starting at the same time, and a lesson is small.
  const args = [tsc, '-p', path.relative(root, config), '--pretty', 'false', '--singleThreaded'];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (error) => resolve({ ok: false, output: error.message }));
    child.on('close', (code) => resolve({ ok: code === 0, output: output.trim() }));
  });
}

// Kept on globalThis: run.mjs loads this module natively, typecheck.ts through tsx's loader.
const key = Symbol.for('cachelings.earlyTypecheck');
/** @type {{ [key]?: { slug: string, run: Promise<TscRun> } }} */
const store = /** @type {any} */ (globalThis);

/**
 * Starts the type-check for `npm run lesson N …` from its command line, if it names a lesson's starters.
 * @param {string[]} args the command's arguments, e.g. ['3', 'codecs', '--watch']
 */
export function startEarly(args) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: false,
    options: { target: { type: 'string' }, redis: { type: 'string' }, part: { type: 'string' } },
  });
  const wanted = positionals[0];
  if (values.target === 'solutions' || typeof wanted !== 'string') return;
  const slugs = readdirSync(path.join(root, 'lessons'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  const slug = /^\d+$/.test(wanted) ? slugs.find((s) => Number.parseInt(s, 10) === Number(wanted)) : slugs.find((s) => s === wanted);
  if (slug) store[key] = { slug, run: startLessonTypecheck(slug) };
}

/**
 * The type-check startEarly began for this lesson (once), or undefined.
 * @param {string} slug
 * @returns {Promise<TscRun> | undefined}
 */
export function takeEarly(slug) {
  const early = store[key];
  if (early?.slug !== slug) return undefined;
  delete store[key];
  return early.run;
}
