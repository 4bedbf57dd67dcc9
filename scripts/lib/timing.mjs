// Where a run's time goes, for `npm run bench kata` (and anyone curious):
// with CACHELINGS_TIMING=1, the phases of a command are printed to stderr as it
// ends, each with the wall-clock time since the process started and the CPU
// time this process had used by then.
const enabled = process.env.CACHELINGS_TIMING === '1';
/** @type {Array<[string, number, number]>} */
const marks = [];

/**
 * Notes that a phase has been reached.
 * @param {string} phase
 */
export function mark(phase) {
  if (!enabled) return;
  const cpu = process.cpuUsage();
  marks.push([phase, performance.now(), (cpu.user + cpu.system) / 1000]);
}

if (enabled) {
  mark('node started');
  process.on('exit', () => {
    mark('exit');
    for (const [phase, wall, cpu] of marks) process.stderr.write(`timing: ${phase}: ${wall.toFixed(0)} ms (cpu ${cpu.toFixed(0)} ms)\n`);
  });
}
