// The checks of lesson 05's tagged writes, given so that its exercises are
// about the index and its races, not about input: a bad key, tag list or TTL
// fails at the call, with a message that names it, before anything is sent.
import { assertKey, assertTtl } from './checks.js';

/** key: a non-empty string; tags: an array of non-empty strings; ttlSeconds: what assertTtl accepts. */
export function assertTaggedWrite(key: string, tags: readonly string[], ttlSeconds: number, caller: string): void {
  assertKey(key, caller);
  if (!Array.isArray(tags)) throw new TypeError(`${caller}(${key}): tags must be an array of tag names`);
  for (const tag of tags) assertKey(tag, `${caller}(${key}): a tag`);
  assertTtl(ttlSeconds, caller);
}
