import { describe, expect, it } from 'vitest';
import { deltaSeconds, parseCacheControl } from '../../provided/cache-control.js';

describe('parseCacheControl', () => {
  it('keeps a quoted argument whole, commas and all, and lower-cases names', () => {
    const directives = parseCacheControl('Private="set-cookie, x-user", MAX-AGE=5,no-transform');
    expect(directives.get('private')).toBe('set-cookie, x-user');
    expect(directives.get('max-age')).toBe('5');
    expect(directives.get('no-transform')).toBe(true);
  });

  it('keeps the first of a repeated directive: max-age=60, max-age=0 is 60', () => {
    expect(parseCacheControl('max-age=60, max-age=0').get('max-age')).toBe('60');
  });
});

describe('parseCacheControl: the corners', () => {
  it('unescapes a quoted argument (\\" is a quote), and trims names and the spaces around commas', () => {
    expect(parseCacheControl('no-cache="a\\"b"').get('no-cache')).toBe('a"b');
    expect(parseCacheControl(' max-age =60 , public ').get('max-age')).toBe('60');
    expect(parseCacheControl('max-age=60 , Private ,no-store').has('private')).toBe(true);
  });

  it('keeps an argument as written after the "=": `max-age= 60` keeps its space, and is no delta-seconds (stale)', () => {
    expect(parseCacheControl('max-age= 60').get('max-age')).toBe(' 60');
    expect(deltaSeconds(parseCacheControl('max-age= 60').get('max-age'))).toBeUndefined();
  });

  it('keeps an unquoted argument as written, quotes and all (x=a"b"), and skips a part with no name (=5)', () => {
    expect(parseCacheControl('x=a"b"').get('x')).toBe('a"b"');
    expect(parseCacheControl('=5').size).toBe(0);
  });

  it('reads nothing from a missing or empty header', () => {
    expect(parseCacheControl(null).size).toBe(0);
    expect(parseCacheControl(' , ').size).toBe(0);
  });
});

describe('deltaSeconds (RFC 9111 §1.2.2)', () => {
  it('reads digits, and caps what is past 2^31', () => {
    expect(deltaSeconds('60')).toBe(60);
    expect(deltaSeconds('0')).toBe(0);
    expect(deltaSeconds('99999999999999999999')).toBe(2 ** 31);
  });

  it.each(['-1', '1.5', '', ' 1', '1e3', '0x10'])('reads %j as nothing (undefined): stale, never forever', (value) => {
    expect(deltaSeconds(value)).toBeUndefined();
  });

  it('reads a directive with no argument, or none at all, as nothing', () => {
    expect(deltaSeconds(true)).toBeUndefined();
    expect(deltaSeconds(undefined)).toBeUndefined();
    expect(deltaSeconds(null)).toBeUndefined();
  });
});
