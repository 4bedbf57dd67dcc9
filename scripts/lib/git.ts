/** The starter files as shipped: read from git, so reset never needs a second copy of them. */
import { execFileSync } from 'node:child_process';
import { root } from './vitest-config.js';

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

/**
 * The commit whose lessons/ holds the starters: the upstream branch if there is
 * one (a learner's own commits do not move it), else origin's HEAD, else HEAD.
 */
export function starterRef(): string | null {
  for (const ref of ['@{upstream}', 'origin/HEAD', 'origin/main', 'HEAD']) {
    try {
      git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
      return ref;
    } catch {
      // try the next one
    }
  }
  return null;
}

/** The file as the starter ref has it, or null where git does not know it. */
export function starterContent(ref: string, file: string): string | null {
  try {
    return execFileSync('git', ['show', `${ref}:${file}`], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

/** Several files as the starter ref has them (null where git does not know one), read by one git process. */
export function starterContents(ref: string, files: string[]): Map<string, string | null> {
  const found = new Map<string, string | null>(files.map((f) => [f, null]));
  let out: Buffer;
  try {
    out = execFileSync('git', ['cat-file', '--batch'], { cwd: root, input: files.map((f) => `${ref}:${f}\n`).join(''), stdio: ['pipe', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
  } catch {
    return found;
  }
  // Each answer: "<sha> blob <size>\n<content>\n", or "<name> missing\n".
  let at = 0;
  for (const file of files) {
    const eol = out.indexOf(10, at);
    if (eol === -1) break;
    const header = out.subarray(at, eol).toString('utf8').split(' ');
    at = eol + 1;
    if (header[1] !== 'blob') continue;
    const size = Number(header[2]);
    found.set(file, out.subarray(at, at + size).toString('utf8'));
    at += size + 1;
  }
  return found;
}

/** Files that differ from `ref` (committed or not), and files git does not track yet; null when git cannot tell. */
export function changedSince(ref: string): string[] | null {
  try {
    const changed = git('diff', '--name-only', ref);
    const untracked = git('ls-files', '--others', '--exclude-standard');
    return [...changed.split('\n'), ...untracked.split('\n')].filter(Boolean);
  } catch {
    return null;
  }
}
