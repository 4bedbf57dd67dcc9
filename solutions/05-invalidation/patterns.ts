/**
 * Patterns that match exactly the keys you mean (source 5.2).
 *
 * The source invalidates user 1 with `user:{id}*`, i.e. `user:1*`, which also
 * matches `user:10:profile`, `user:123:orders` and every other id that starts
 * with a 1. End the pattern at the delimiter (`user:1:*`) and it stops there.
 *
 * A pattern is a tiny language: `*`, `?`, `[...]` and `\` mean something to
 * Redis. A part that comes from input must be escaped, or an id of `*` turns
 * `user:*:*` into "every user".
 */

/** Makes a literal string safe inside a SCAN MATCH pattern: `*` matches only `*`. */
export function escapeGlob(literal: string): string {
  return literal.replace(/[*?[\]\\]/g, '\\$&');
}

/**
 * The pattern for every key under `prefix` + parts, ended at the delimiter:
 * keyPattern('app:', 'user', 1) is 'app:user:1:*'. Every part is a literal.
 */
export function keyPattern(prefix: string, ...parts: Array<string | number>): string {
  if (parts.length === 0) throw new TypeError('keyPattern: parts must hold at least one part, or the pattern is the whole prefix');
  return `${escapeGlob(prefix)}${parts.map((part) => escapeGlob(String(part))).join(':')}:*`;
}
