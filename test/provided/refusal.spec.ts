import { describe, expect, it } from 'vitest';
import { expectRefusal } from '../support/refusal.js';

describe('expectRefusal (how a core spec checks an error)', () => {
  it('accepts a throw or a rejection of the class, naming the parameter', async () => {
    await expectRefusal(() => {
      throw new RangeError('TtlCache: ttlMs must be positive, got 0');
    }, RangeError, 'ttlMs');
    await expectRefusal(async () => {
      throw new TypeError('key must be a non-empty string');
    }, TypeError, 'key');
  });

  it('fails a call that returns, the wrong class, or a message that does not name the parameter', async () => {
    await expect(expectRefusal(() => 1, RangeError, 'x')).rejects.toThrow(/returned 1/);
    await expect(expectRefusal(() => Promise.resolve('ok'), RangeError, 'x')).rejects.toThrow(/returned "ok"/);
    await expect(
      expectRefusal(() => {
        throw new TypeError('x is bad');
      }, RangeError, 'x'),
    ).rejects.toThrow();
    await expect(
      expectRefusal(() => {
        throw new RangeError('maxSizes is bad');
      }, RangeError, 'maxSize'),
    ).rejects.toThrow(/should name maxSize/);
  });
});
