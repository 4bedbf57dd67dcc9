/** tsc on the solutions and on the starters, side by side: both must compile against the same specs. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { root } from './vitest-config.js';

export interface TypecheckResult {
  config: string;
  ok: boolean;
  output: string;
}

export function typecheck(config: string): Promise<TypecheckResult> {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '-p', config, '--pretty', 'false'], { cwd: root });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ config, ok: code === 0, output: output.trim() }));
  });
}
