import { describe, expect, it } from 'vitest';
import { parseHttpDate } from '../../provided/http-date.js';

const at = (iso: string) => Date.parse(iso);
const NOW = at('2026-01-01T00:00:00Z');

describe('parseHttpDate (RFC 9110 §5.6.7)', () => {
  it.each([
    ['IMF-fixdate', 'Sun, 06 Nov 1994 08:49:37 GMT', '1994-11-06T08:49:37Z'],
    ['RFC 850', 'Sunday, 06-Nov-94 08:49:37 GMT', '1994-11-06T08:49:37Z'],
    ['asctime, a one-digit day', 'Sun Nov  6 08:49:37 1994', '1994-11-06T08:49:37Z'],
    ['asctime, a two-digit day', 'Sat Dec 31 23:59:59 2005', '2005-12-31T23:59:59Z'],
    ['a leap day', 'Sat, 29 Feb 2020 12:00:00 GMT', '2020-02-29T12:00:00Z'],
    ['a leap second (reads as the next second)', 'Wed, 31 Dec 2025 23:59:60 GMT', '2026-01-01T00:00:00Z'],
  ])('reads %s', (_, value, iso) => {
    expect(parseHttpDate(value, NOW)).toBe(at(iso));
  });

  it('reads a four-digit year under 100 as that year, not as 19xx', () => {
    expect(new Date(parseHttpDate('Fri, 01 Jan 0099 00:00:00 GMT', NOW)!).getUTCFullYear()).toBe(99);
  });

  it.each([
    'Sun, 06 Nov 1994 08:49:37 UTC', 'Sun 06 Nov 1994 08:49:37 GMT', 'Sun,  06 Nov 1994 08:49:37 GMT', '06-Nov-1994',
    'Sun, 06-Nov-1994 08:49:37 GMT', 'Sun, 06 Nov 1994 8:49:37 GMT', 'Sun, 6 Nov 1994 08:49:37 GMT', 'sun, 06 nov 1994 08:49:37 GMT',
    'Sun, 06 Nov 1994 08:49:37 GMT ', ' Sun, 06 Nov 1994 08:49:37 GMT', 'Sun, 30 Feb 1994 08:49:37 GMT', 'Sun, 00 Nov 1994 08:49:37 GMT',
    'Sun, 06 Nov 1994 24:00:00 GMT', 'Sun, 06 Nov 1994 08:60:00 GMT', 'Sun, 06 Nov 1994 08:49:61 GMT', 'Sunday, 06-Nov-94 08:49:37 UTC',
    'Sun Nov 6 08:49:37 1994', 'Sun Nov  6 08:49:37 1994 GMT', 'Sun, 29 Feb 2021 00:00:00 GMT', '1994-11-06T08:49:37Z', '0', '',
    'Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT', 'Funday, 06-Nov-94 08:49:37 GMT', 'Sun, 06 Foo 1994 08:49:37 GMT',
  ])('refuses %j', (value) => {
    expect(parseHttpDate(value, NOW)).toBeUndefined();
  });

  it('answers undefined for no value at all', () => {
    expect(parseHttpDate(null)).toBeUndefined();
    expect(parseHttpDate(undefined)).toBeUndefined();
  });

  it('places a two-digit year within 50 years of now: in 2026, 76 is 2076 and 77 is 1977', () => {
    expect(new Date(parseHttpDate('Saturday, 01-Jan-76 00:00:00 GMT', NOW)!).getUTCFullYear()).toBe(2076);
    expect(new Date(parseHttpDate('Saturday, 01-Jan-77 00:00:00 GMT', NOW)!).getUTCFullYear()).toBe(1977);
    expect(new Date(parseHttpDate('Saturday, 01-Jan-26 00:00:00 GMT', NOW)!).getUTCFullYear()).toBe(2026);
    expect(new Date(parseHttpDate('Saturday, 01-Jan-00 00:00:00 GMT', at('2099-06-01T00:00:00Z'))!).getUTCFullYear()).toBe(2000); // in the past: the rule only moves the future back
  });

  it('uses the clock when no now is given', () => {
    const year = String(new Date().getUTCFullYear() % 100).padStart(2, '0');
    expect(new Date(parseHttpDate(`Monday, 01-Jan-${year} 00:00:00 GMT`)!).getUTCFullYear()).toBe(new Date().getUTCFullYear());
  });
});
