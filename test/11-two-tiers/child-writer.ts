/** Runs writer-child.ts in a process of its own and resolves once its write is done. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export async function writeFromAnotherProcess(mechanism: 'pubsub' | 'tracking', url: string, key: string, channel: string, value: unknown): Promise<void> {
  const child = fileURLToPath(new URL('./writer-child.ts', import.meta.url));
  const process_ = spawn(process.execPath, ['--import', 'tsx', child, mechanism, url, key, channel, JSON.stringify(value)], {
    env: { ...process.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  process_.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  process_.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => process_.once('exit', resolve));
  if (code !== 0 || !out.includes('done')) throw new Error(`the writer process failed (exit ${code}):\n${err}`);
}
