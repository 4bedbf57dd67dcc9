/**
 * Exercise 1 of 6: patterns that match exactly the keys you mean (source 5.2).
 *
 * This is the source's pattern, `f"user:{user_id}*"`. Run `npm run lesson 5`
 * and watch `user:1*` take user 10's keys too, and an id of `*` take everyone's.
 */
/** Makes a literal string safe inside a SCAN MATCH pattern: `*` matches only `*`. */
export function escapeGlob(literal: string): string {
  // TODO: the source puts input into patterns as it is. Put a backslash before
  // each character MATCH treats as glob: * ? [ ] and \
  return literal;
}

/**
 * The pattern for every key under `prefix` + parts, ended at the delimiter:
 * keyPattern('app:', 'user', 1) is 'app:user:1:*'. Every part is a literal.
 */
export function keyPattern(prefix: string, ...parts: Array<string | number>): string {
  // TODO: end at the delimiter, escape the prefix and every part, and refuse
  // an empty list of parts (a TypeError).
  return `${prefix}${parts.join(':')}*`;
}
