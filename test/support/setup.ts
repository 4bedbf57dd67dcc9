/**
 * Runs around every spec. Spec files share their worker (isolate: false, which
 * makes a Redis lesson start three times faster), so whatever one test changes
 * in the worker is put back before the next: the clock here; spies and
 * stubbed environment variables by the config (restoreMocks, unstubEnvs).
 */
import { afterEach, vi } from 'vitest';

afterEach(() => {
  vi.useRealTimers();
});
