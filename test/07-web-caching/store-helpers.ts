/** What the response-store, revalidation and middleware specs share: stored responses to hand around. */
import type { StoredResponse } from '../../provided/stored-response.js';

/** A stored response: a 200 "hello", fresh for `freshness` seconds from now, with any header fields. */
export function storedOf(headers: Record<string, string> = {}, { freshness = 60, initialAge = 0, body = 'hello', status = 200 } = {}): StoredResponse {
  return {
    status,
    headers: Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
    body: new TextEncoder().encode(body),
    responseTime: Date.now(),
    initialAge,
    freshness,
  };
}

export const text = (stored: StoredResponse | undefined) => (stored === undefined ? undefined : new TextDecoder().decode(stored.body));
