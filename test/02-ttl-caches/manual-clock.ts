/** A clock the test moves by hand, for the `now` option: no sleeps, no timers. */
export function manualClock(start = 1_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}
