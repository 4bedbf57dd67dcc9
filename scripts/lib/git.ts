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
