// The type-check of one lesson (its starters and its specs), as a tsc child process.
// Plain JS so that scripts/run.mjs can start it first thing, before it loads vitest:
// tsc then runs on the second core while the first loads vitest, and costs
// `npm run lesson N` almost no time. scripts/lib/typecheck.ts reads its result.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mark } from './timing.mjs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** @typedef {{ ok: boolean, output: string }} TscRun */

/**
 * What a lesson's type-check reads: its starters and specs, the given code and
 * the references it re-exports, the shared spec support, the configs and the
 * installed packages. Unchanged, the last result still holds.
 * @param {string} slug
 */
function inputsKey(slug) {
  const hash = createHash('sha1');
  /** @param {string} dir */
  const addDir = (dir) => {
    const full = path.join(root, dir);
    if (!existsSync(full)) return;
    for (const entry of readdirSync(full, { withFileTypes: true })) {
      const relative = `${dir}/${entry.name}`;
      if (entry.isDirectory()) addDir(relative);
      else if (entry.name.endsWith('.ts')) hash.update(relative).update(readFileSync(path.join(root, relative)));
    }
  };
  for (const dir of [`lessons/${slug}`, `test/${slug}`, 'provided', 'solutions', 'test/support', 'scripts/lib']) addDir(dir);
  for (const file of ['tsconfig.json', 'tsconfig.lessons.json', 'package-lock.json', 'manifest.ts']) {
    if (existsSync(path.join(root, file))) hash.update(file).update(readFileSync(path.join(root, file)));
  }
  // node_modules: its lock file changes whenever an install changes anything in it.
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  if (existsSync(installed)) hash.update(String(statSync(installed).mtimeMs));
  return hash.digest('hex');
}

/**
 * Type-checks lessons/<slug>/ and test/<slug>/ (a project written to the git-ignored .cachelings/),
 * or answers with the last result when nothing it reads has changed since.
 * @param {string} slug
 * @returns {Promise<TscRun>}
 */
export function startLessonTypecheck(slug) {
  const dir = path.join(root, '.cachelings');
  mkdirSync(dir, { recursive: true });
  const key = inputsKey(slug);
  const cache = path.join(dir, `typecheck.${slug}.json`);
  try {
    const last = JSON.parse(readFileSync(cache, 'utf8'));
    if (last.key === key) {
      mark('type-check reused');
      return Promise.resolve({ ok: last.ok, output: last.output });
    }
  } catch {
    // no result yet, or a damaged one: check
  }
  const config = path.join(dir, `tsconfig.${slug}.json`);
  const project = { extends: '../tsconfig.lessons.json', include: [`../lessons/${slug}`, `../test/${slug}`] };
  const text = `${JSON.stringify(project, null, 2)}\n`;
  // Written only when it differs: under --watch, every write is a change vitest's watcher handles.
  if (!existsSync(config) || readFileSync(config, 'utf8') !== text) writeFileSync(config, text);
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  // One thread: vitest is starting at the same time, and a lesson is small.
  const args = [tsc, '-p', path.relative(root, config), '--pretty', 'false', '--singleThreaded'];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (error) => resolve({ ok: false, output: error.message }));
    child.on('close', (code) => {
      const run = { ok: code === 0, output: output.trim() };
      mark('type-check done');
      // Kept only if nothing changed while tsc read the files.
      if (inputsKey(slug) === key) writeFileSync(cache, `${JSON.stringify({ key, ...run })}\n`);
      resolve(run);
    });
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
