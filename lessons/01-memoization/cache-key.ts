/**
 * Exercise 1 of 4: one string per distinct list of arguments.
 *
 * This is the naive key, the TypeScript twin of the source's `str(args)`.
 * Run `npm run lesson 1` and watch it collide: f(1, "2") and f("1", 2) both
 * become "1,2", and every object becomes "[object Object]". And it ignores
 * `thisArg`, so a method answers for whichever object called it first.
 */
export function cacheKey(args: readonly unknown[], thisArg?: unknown): string {
  // TODO: write each value with its type; quote strings; sort object keys;
  // throw a TypeError for functions, symbols and circular arguments.
  // A method's `thisArg` belongs in the key too, by identity (not by contents).
  return String(args);
}
