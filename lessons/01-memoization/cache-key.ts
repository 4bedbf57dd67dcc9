/**
 * Exercise 1: one string per distinct list of arguments.
 *
 * This is the naive key, the TypeScript twin of the source's `str(args)`.
 * Run `npm run lesson 1` and watch it collide: f(1, "2") and f("1", 2) both
 * become "1,2", and every object becomes "[object Object]". And it ignores
 * `thisArg`, so a method answers for whichever object called it first.
 */
export function cacheKey(args: readonly unknown[], thisArg?: unknown): string {
  // TODO: write each value with its type; quote strings; keep values apart;
  // sort object keys; throw a TypeError that names args for a function or a
  // symbol. A method's `thisArg` belongs in the key too, by identity (not by
  // contents). The README's contract says what the specs check.
  return String(args);
}
