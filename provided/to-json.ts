// JSON text for Redis, refused at the call whenever it would not come back as
// it went in: JSON.stringify writes a Map as {}, NaN as null, a Date as a
// string, a class instance as a plain object and -0 as 0, drops undefined
// and functions, and turns an undefined array item into null, all without a word.
// Given to lessons 03 to 05: every writer stores JSON through it.

/**
 * JSON.stringify, but a TypeError naming the place (`where`, then the path in
 * the value) for anything JSON cannot hold: plain objects, arrays, strings,
 * finite numbers other than -0, booleans and null are all it stores faithfully.
 * (A circular object or a BigInt throws too, with our context.)
 */
export function toJson(value: unknown, where: string): string {
  try {
    // Never undefined: the replacer refuses an undefined value before JSON.stringify could return it.
    return JSON.stringify(value, function (this: Record<string, unknown>, key, item: unknown) {
      // `this[key]` is the value before toJSON(): a Date, not its string.
      const lost = lostByJson(this[key]);
      if (lost) throw new TypeError(`${key === '' ? 'the value' : `"${key}"`} is ${lost}, which JSON cannot hold (cache null, or use a codec from codecs.ts)`);
      return item;
    }) as string;
  } catch (error) {
    throw new TypeError(`${where}: cannot store this value as JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** What the value would be lost as, or undefined when JSON keeps it. */
function lostByJson(item: unknown): string | undefined {
  if (item === undefined) return 'undefined';
  if (typeof item === 'number' && !Number.isFinite(item)) return String(item);
  if (Object.is(item, -0)) return '-0';
  if (typeof item === 'function' || typeof item === 'symbol') return `a ${typeof item}`;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const proto: unknown = Object.getPrototypeOf(item);
  if (proto !== Object.prototype && proto !== null) return `a ${item.constructor?.name ?? 'class instance'}`;
  if (Object.getOwnPropertySymbols(item).length > 0) return 'an object with symbol keys';
  return undefined;
}
