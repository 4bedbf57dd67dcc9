/** True when `work` finished before a setImmediate queued just before it could run: it held the event loop the whole time. */
export async function heldTheEventLoop(work: () => Promise<unknown>): Promise<boolean> {
  let loopTurned = false;
  setImmediate(() => (loopTurned = true));
  await work();
  return !loopTurned;
}

/**
 * What a promise came to: its error, or a short line about its value. For a
 * spec that expects a refusal of something large: a failed expectation then
 * prints "resolved with 4194304 bytes", not the 4 MiB themselves (vitest would
 * take a minute to print them).
 */
export async function outcome(work: Promise<unknown>): Promise<unknown> {
  try {
    const value = await work;
    const size = Buffer.isBuffer(value) || typeof value === 'string' ? `${value.length} ${Buffer.isBuffer(value) ? 'bytes' : 'characters'}` : typeof value;
    return `resolved with ${size}`;
  } catch (error) {
    return error;
  }
}
