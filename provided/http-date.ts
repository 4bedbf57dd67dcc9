/**
 * HTTP-dates, read as RFC 9110 §5.6.7 writes them, and nothing else.
 *
 * `Date.parse` is not a parser for HTTP: it takes `Thu, 01 Jan 2026 00:00:00 UTC`,
 * a date without its comma, doubled spaces, `18-Aug-2050`, one-digit hours, and
 * makes a page fresh until 2050 from a header no server should have sent. A
 * cache reads Date, Expires, Last-Modified and If-Modified-Since with this one
 * parser instead: an invalid value is `undefined`, and the caller decides what
 * that means (an invalid Expires is "already expired", RFC 9111 §5.3).
 *
 * The three forms a recipient accepts:
 *   IMF-fixdate   Sun, 06 Nov 1994 08:49:37 GMT   (the one a sender writes)
 *   RFC 850       Sunday, 06-Nov-94 08:49:37 GMT  (obsolete; two-digit year)
 *   asctime       Sun Nov  6 08:49:37 1994        (obsolete; no zone, read as GMT)
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC_850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ((?:\\d| )\\d) ${TIME} (\\d{4})$`);

/**
 * The time an HTTP-date stands for, in ms since the epoch, or `undefined` for
 * anything that is not one of the three forms (or names a day that does not
 * exist). `now` places an RFC 850 two-digit year: one that would be more than
 * 50 years in the future is the most recent past year with those digits.
 */
export function parseHttpDate(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  let match = IMF_FIXDATE.exec(value);
  if (match !== null) return at(Number(match[3]), match[2]!, match[1]!, match.slice(4, 7));
  match = ASCTIME.exec(value);
  if (match !== null) return at(Number(match[6]), match[1]!, match[2]!.trim(), match.slice(3, 6));
  match = RFC_850.exec(value);
  if (match !== null) return at(fullYear(Number(match[3]), now), match[2]!, match[1]!, match.slice(4, 7));
  return undefined;
}

/** RFC 9110 §5.6.7: a two-digit year more than 50 years ahead of now belongs to the previous century. */
function fullYear(twoDigits: number, now: number): number {
  const thisYear = new Date(now).getUTCFullYear();
  let year = thisYear - (thisYear % 100) + twoDigits;
  if (year > thisYear + 50) year -= 100;
  return year;
}

function at(year: number, month: string, day: string, [hour, minute, second]: string[]): number | undefined {
  const [h, m, s, d, mo] = [Number(hour), Number(minute), Number(second), Number(day), MONTHS.indexOf(month)];
  // 60 is a leap second (RFC 9110 §5.6.7 allows it); it reads as the next second, as every clock does.
  if (h > 23 || m > 59 || s > 60 || d < 1) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, mo, d); // not Date.UTC, which reads the year 0099 as 1999
  // 31 Feb rolls over into March: that day does not exist.
  if (date.getUTCDate() !== d) return undefined;
  return date.setUTCHours(h, m, s);
}
