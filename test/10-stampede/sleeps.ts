import { vi } from 'vitest';
import { deferred } from './deferred.js';

/** A sleep the spec controls: every call waits until the spec lets the sleepers go. */
export function controlledSleep() {
  let wake = deferred<void>();
  const sleep = vi.fn(async (_ms: number) => wake.promise);
  return {
    sleep,
    wakeAll() {
      wake.resolve();
      wake = deferred<void>();
    },
  };
}

/** A sleep that returns at once and writes down how long it was asked to wait. */
export function recordedSleep() {
  const slept: number[] = [];
  return { slept, sleep: async (ms: number) => void slept.push(ms), total: () => slept.reduce((a, b) => a + b, 0) };
}
