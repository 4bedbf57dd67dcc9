import { describe, expect, it } from 'vitest';
import { assertKey, assertPage, assertTtl, isWrongType, MAX_TTL_SECONDS } from '../../provided/checks.js';

describe('assertKey', () => {
  it('takes any non-empty string', () => {
    expect(() => assertKey('a', 'f')).not.toThrow();
  });

  it('refuses an empty key or a non-string with a TypeError naming the call and the value', () => {
    expect(() => assertKey('', 'getJson')).toThrow(new TypeError('getJson: the key must be a non-empty string, got ""'));
    expect(() => assertKey(undefined as unknown as string, 'setJson')).toThrow('setJson: the key must be a non-empty string, got undefined');
    expect(() => assertKey(7 as unknown as string, 'f')).toThrow(TypeError);
  });
});

describe('assertTtl', () => {
  it('takes 1, and MAX_TTL_SECONDS, the longest TTL whose milliseconds are a safe integer', () => {
    expect(MAX_TTL_SECONDS).toBe(9_007_199_254_740);
    expect(() => assertTtl(1, 'f')).not.toThrow();
    expect(() => assertTtl(MAX_TTL_SECONDS, 'f')).not.toThrow();
  });

  it('refuses 0, 1.5, NaN, Infinity and MAX_TTL_SECONDS + 1 with a RangeError naming the call, ttlSeconds and the value', () => {
    for (const ttl of [0, -1, 1.5, Number.NaN, Infinity, MAX_TTL_SECONDS + 1]) expect(() => assertTtl(ttl, 'f')).toThrow(RangeError);
    expect(() => assertTtl(1e20, 'setJson')).toThrow(
      `setJson: ttlSeconds must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS}, got 100000000000000000000`,
    );
  });
});

describe('assertPage', () => {
  it('takes offset 0 and limits 0, 1 and Infinity', () => {
    for (const limit of [0, 1, Infinity]) expect(() => assertPage(0, limit)).not.toThrow();
  });

  it('refuses a negative, fractional or unsafe offset with a RangeError naming it', () => {
    for (const offset of [-1, 0.5, 2 ** 53, Number.NaN]) expect(() => assertPage(offset, 1)).toThrow(RangeError);
    expect(() => assertPage(-1, 1)).toThrow('offset must be a whole number >= 0, got -1');
  });

  it('refuses a negative, fractional or unsafe limit with a RangeError naming it', () => {
    for (const limit of [-1, 0.5, 2 ** 53, Number.NaN, -Infinity]) expect(() => assertPage(0, limit)).toThrow(RangeError);
    expect(() => assertPage(0, -2)).toThrow('limit must be a whole number >= 0 or Infinity, got -2');
  });
});

describe('isWrongType', () => {
  it("is true for Redis's WRONGTYPE reply and false for anything else", () => {
    expect(isWrongType(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(true);
    expect(isWrongType(new Error('Connection is closed. WRONGTYPE'))).toBe(false);
    expect(isWrongType('WRONGTYPE')).toBe(false);
    expect(isWrongType(undefined)).toBe(false);
  });
});
