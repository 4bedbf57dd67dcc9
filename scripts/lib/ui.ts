/** Terminal output: a few colours (off for NO_COLOR or a pipe) and the marks the commands share. */
// `npm run lesson 3 | head`: the reader left; stop quietly instead of with an EPIPE stack.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

export const useColor = !process.env.NO_COLOR && (Boolean(process.env.FORCE_COLOR) || process.stdout.isTTY === true);
const paint = (open: number, close: number) => (text: string) =>
  useColor ? `\x1b[${open}m${text}\x1b[${close}m` : text;

export const bold = paint(1, 22);
export const dim = paint(2, 22);
export const red = paint(31, 39);
export const green = paint(32, 39);
export const yellow = paint(33, 39);
export const cyan = paint(36, 39);

export const mark = { pass: green('✓'), fail: red('✗'), skip: yellow('○'), todo: dim('·') };

export function progressBar(done: number, total: number, width = 24): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return `${green('█'.repeat(filled))}${dim('░'.repeat(width - filled))} ${done}/${total}`;
}

/** Ends the command with a message for the learner, not a stack trace. */
export function fail(message: string): never {
  console.error(`${red('✗')} ${message}`);
  process.exit(1);
}

/** Text from elsewhere (vitest's diffs carry their own colours): as it is on a terminal, without colour codes when piped or NO_COLOR. */
export function plain(text: string, color = useColor): string {
  // eslint-disable-next-line no-control-regex
  return color ? text : text.replace(/\x1b\[[0-9;]*m/g, '');
}
