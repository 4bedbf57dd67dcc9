/**
 * Lesson 07's header parsing, given so that the exercise is the rules, not the
 * grammar: Cache-Control as a map of directives, and a delta-seconds argument
 * read as RFC 9111 §1.2.2 says.
 */

/**
 * Cache-Control as a map: `max-age=60, no-cache` is { 'max-age' => '60', 'no-cache' => true }.
 * Names are lower-cased and trimmed (a restriction such as `private ` must never be missed for a
 * stray space); an argument is kept as written after the "=", so a malformed one stays malformed.
 * The first of a repeated directive wins.
 */
export function parseCacheControl(value: string | null): Map<string, string | true> {
  const directives = new Map<string, string | true>();
  // Split on commas outside quoted strings: private="set-cookie, x" is one directive.
  for (const part of value?.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? []) {
    const equals = part.indexOf('=');
    const name = (equals < 0 ? part : part.slice(0, equals)).trim().toLowerCase();
    if (name === '' || directives.has(name)) continue;
    // No space may follow the "=" (RFC 9111 §5.2: token "=" value): `max-age= 60` has no valid value, and means stale.
    let argument: string | true = equals < 0 ? true : part.slice(equals + 1).trimEnd();
    if (typeof argument === 'string' && argument.startsWith('"')) argument = argument.slice(1, -1).replace(/\\(.)/g, '$1');
    directives.set(name, argument);
  }
  return directives;
}

/** RFC 9111 §1.2.2: a delta-seconds past what we can represent counts as 2^31. */
export const MAX_DELTA_SECONDS = 2 ** 31;

/** A delta-seconds argument: digits only, capped at 2^31. Anything else (-1, 1.5, "", a bare `max-age`) is undefined. */
export function deltaSeconds(argument: string | true | null | undefined): number | undefined {
  if (typeof argument !== 'string' || !/^\d+$/.test(argument)) return undefined;
  return Math.min(Number(argument), MAX_DELTA_SECONDS);
}
