/**
 * How a core spec checks an error: by its class and the parameter it names,
 * never by its wording (the wording is the deep tier's business). Whether the
 * call throws at once or returns a promise that rejects is the learner's
 * choice; both count.
 *
 *   await expectRefusal(() => new TtlCache({ maxSize: 0, ttlMs: 1 }), RangeError, 'maxSize');
 *   await expectRefusal(() => getJson(redis, ''), TypeError, 'key');
 */
import { expect } from 'vitest';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any constructor of an Error
type ErrorClass = abstract new (...args: any[]) => Error;

/** What the call did: threw (or rejected) with `error`, or returned `value`. */
async function outcomeOf(call: () => unknown): Promise<{ error: unknown } | { value: unknown }> {
  let returned: unknown;
  try {
    returned = call();
  } catch (error) {
    return { error };
  }
  if (typeof (returned as PromiseLike<unknown> | null)?.then !== 'function') return { value: returned };
  try {
    return { value: await returned };
  } catch (error) {
    return { error };
  }
}

/** The call refuses: it throws, or its promise rejects, with an `errorClass` whose message names `parameter`. */
export async function expectRefusal(call: () => unknown, errorClass: ErrorClass, parameter: string): Promise<void> {
  const outcome = await outcomeOf(call);
  if (!('error' in outcome)) {
    expect.fail(`expected a ${errorClass.name} that names ${parameter}, but the call returned ${describe(outcome.value)}`);
  }
  const { error } = outcome;
  expect(error, `expected a ${errorClass.name} that names ${parameter}`).toBeInstanceOf(errorClass);
  const words = new RegExp(`(^|[^A-Za-z0-9_$])${parameter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z0-9_$]|$)`);
  expect(words.test((error as Error).message), `the ${errorClass.name} should name ${parameter}; its message: ${(error as Error).message}`).toBe(true);
}

function describe(value: unknown): string {
  if (Buffer.isBuffer(value)) return `a Buffer of ${value.length} bytes`;
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  try {
    return String(value);
  } catch {
    return typeof value;
  }
}
