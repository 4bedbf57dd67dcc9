/**
 * The specs' own assertions (test/support/setup.ts): in vitest 5.1,
 * `await expect(p).rejects.toThrow(/…/)` passed when p rejected with null or
 * undefined, so a mutant that rejects with nothing survived it. It fails now;
 * everything else about toThrow is as vitest has it.
 */
import { describe, expect, it } from 'vitest';

describe('rejects.toThrow', () => {
  it('fails on a rejection with null or undefined, whatever it expects', async () => {
    await expect(expect(Promise.reject(null)).rejects.toThrow(/x/)).rejects.toThrow(/rejected with null/);
    await expect(expect(Promise.reject(undefined)).rejects.toThrow()).rejects.toThrow(/rejected with undefined/);
    await expect(expect(Promise.reject(null)).rejects.toThrowError('x')).rejects.toThrow(/rejected with null/);
  });

  it('still passes on an error that matches, and fails on one that does not', async () => {
    await expect(Promise.reject(new TypeError('bad key'))).rejects.toThrow(/key/);
    await expect(Promise.reject(new TypeError('bad key'))).rejects.toThrowError(TypeError);
    await expect(Promise.reject(new Error('a'))).rejects.not.toThrow(/b/);
    await expect(expect(Promise.reject(new Error('a'))).rejects.toThrow(/b/)).rejects.toThrow();
  });

  it('leaves toThrow on a function as it was', () => {
    expect(() => {
      throw new Error('q');
    }).toThrow(/q/);
    expect(() => 1).not.toThrow();
  });
});
