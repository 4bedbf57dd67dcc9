/**
 * One string per distinct list of arguments: the key every memoizer in this
 * workbook stores results under.
 *
 * The naive keys collide. `String([1, '2'])` and `String(['1', 2])` are both
 * "1,2", and every object is "[object Object]", so f({ id: 1 }) would answer
 * f({ id: 2 }). Here each value is written with its type, strings are quoted,
 * and object keys are sorted, so { a, b } and { b, a } share a key.
 */
export function cacheKey(args: readonly unknown[]): string {
  return encode(args, new Set());
}

function encode(value: unknown, path: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value); // quoted, so "1" is not 1
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return `${value}n`; // 1n is not 1
    case 'function':
    case 'symbol':
      // Two functions with the same source can close over different state:
      // there is no honest key for them, so say so at the call.
      throw new TypeError(`cacheKey: cannot build a key from a ${typeof value} argument`);
  }
  if (value === null) return 'null';

  const object = value as object;
  if (path.has(object)) throw new TypeError('cacheKey: cannot build a key from a circular argument');
  path.add(object);
  try {
    return encodeObject(object, path);
  } finally {
    path.delete(object); // the same object twice side by side is fine; only a cycle is not
  }
}

function encodeObject(value: object, path: Set<object>): string {
  if (Array.isArray(value)) return `[${value.map((v) => encode(v, path)).join(',')}]`;
  if (value instanceof Date) return `Date(${value.getTime()})`;
  if (value instanceof Map) {
    const entries = [...value].map(([k, v]) => `${encode(k, path)}=>${encode(v, path)}`);
    return `Map{${entries.sort().join(',')}}`;
  }
  if (value instanceof Set) return `Set{${[...value].map((v) => encode(v, path)).sort().join(',')}}`;

  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    // A class instance may keep what makes it "equal" in private fields we cannot see.
    throw new TypeError(
      `cacheKey: cannot build a key from a ${proto.constructor?.name ?? 'class'} instance; pass plain data (objects, arrays, primitives)`,
    );
  }
  const record = value as Record<string, unknown>;
  const fields = Object.keys(record)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${encode(record[k], path)}`);
  return `{${fields.join(',')}}`;
}
