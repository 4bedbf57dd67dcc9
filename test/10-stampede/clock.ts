/** A clock the spec moves by hand: TTLs and load times without sleeps. */
export function manualClock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}
