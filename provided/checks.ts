// The checks every Redis lesson uses (03, 04, 05), given rather than asked
// for: bad arguments fail at the call that made them, with a message that
// names the argument and the bad value, before anything is read or written.

/**
 * The longest TTL a cache here accepts, in seconds: its milliseconds are still
 * a safe integer (Number.MAX_SAFE_INTEGER), so PX and PEXPIRE take it too.
 * About 285,000 years; a TTL of 1e20 is a bug, and Redis would refuse it with
 * "value is not an integer or out of range".
 */
export const MAX_TTL_SECONDS = Math.floor(Number.MAX_SAFE_INTEGER / 1000);

/** Redis would take '' as a key; it is always a bug (a missing id), so say so at the call. */
export function assertKey(key: string, caller: string): void {
  if (typeof key !== 'string' || key === '') {
    throw new TypeError(`${caller}: the key must be a non-empty string, got ${JSON.stringify(key) ?? String(key)}`);
  }
}

/** A TTL is a whole number of seconds from 1 to MAX_TTL_SECONDS: EX 0 is an error in Redis, 1.5 a typo, 1e20 out of range. */
export function assertTtl(ttlSeconds: number, caller: string): void {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new RangeError(
      `${caller}: ttlSeconds must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS}, got ${String(ttlSeconds)}`,
    );
  }
}

/** A page of a list: offset a whole number >= 0, limit a whole number >= 0 or Infinity (all). */
export function assertPage(offset: number, limit: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new RangeError(`offset must be a whole number >= 0, got ${String(offset)}`);
  }
  if (limit !== Infinity && (!Number.isSafeInteger(limit) || limit < 0)) {
    throw new RangeError(`limit must be a whole number >= 0 or Infinity, got ${String(limit)}`);
  }
}

/**
 * Redis's answer when a key holds another type than the command reads (GET
 * on a LIST, LLEN on a string). For a cache that is not an outage but a
 * foreign value under its key: a miss, to delete and replace.
 */
export function isWrongType(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('WRONGTYPE');
}
