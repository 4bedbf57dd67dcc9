/** What the LoadGate specs (core and deep) share: loads the spec holds and releases, and a way to let promises settle. */

/** A few turns of the event loop: every promise chain that can move has moved. */
export async function settle(): Promise<void> {
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
}

/** Loads that wait until the spec releases them, oldest first; counts how many run at once. */
export function heldLoads() {
  const held: Array<() => void> = [];
  let running = 0;
  let most = 0;
  const started: string[] = [];
  return {
    load: <T>(value: T) => async () => {
      started.push(String(value));
      most = Math.max(most, ++running);
      await new Promise<void>((resolve) => held.push(resolve));
      running--;
      return value;
    },
    releaseOne: () => held.shift()?.(),
    releaseAll: () => held.splice(0).forEach((release) => release()),
    started,
    get running() {
      return running;
    },
    get most() {
      return most;
    },
  };
}
