/**
 * Exercise 10 of 12: a miss. The handler answers, and the cache keeps what a
 * shared cache may keep of it (status, header fields, the body as bytes, within
 * a size limit), once per URL in flight.
 *
 * Below is the source's miss: every 200, only its body, read whole however big.
 * Run `npm run lesson 7 miss`.
 */
import type { Context, Next } from 'hono';
// Given: the earlier steps, and the stored form of a response.
import { answer, initialAge, mayReuse, variantKey, varyNames, type CacheRules, type Fills } from '../../provided/http-cache-parts.js';
import { captureResponse, currentAge, type StoredResponse } from '../../provided/stored-response.js';

export interface KeepOptions {
  rules: CacheRules;
  /** A larger body is streamed to the client and not stored. */
  maxBodyBytes: number;
  /** Guess freshness from Last-Modified up to this many seconds; 0 never guesses. */
  heuristicMaxSeconds: number;
  /** Stores what may be kept (the middleware's Redis call). */
  save(stored: StoredResponse): Promise<unknown>;
}

/** What a miss stored, and for which variant of its URL: what the requests that waited may reuse. */
export interface Filled {
  stored: StoredResponse;
  variant: string;
}

/** After the handler ran (its response in c.res): keep it when the rules allow, unless `voided`. What was kept. */
export async function keep(c: Context, requestTime: number, options: KeepOptions, voided = () => false): Promise<StoredResponse | undefined> {
  void [voided, captureResponse, initialAge];
  if (c.res.status !== 200) return undefined; // if response.status_code == 200:
  const body = new Uint8Array(await c.res.arrayBuffer()); // body = b"".join(response.body_iterator)
  c.res = new Response(body, { headers: { 'content-type': 'application/json' } });
  const stored: StoredResponse = { status: 200, headers: [], body, responseTime: requestTime, initialAge: 0, freshness: 60 };
  await options.save(stored); // redis_client.setex(cache_key, 60, body)
  return stored;
}

/** Runs a miss once per key in flight. Answers HIT when this request was served another's response, MISS when the handler answered it. */
export async function miss(c: Context, next: Next, key: string, fills: Fills<Filled>, options: KeepOptions): Promise<'HIT' | 'MISS'> {
  void [key, fills, answer, mayReuse, currentAge, variantKey, varyNames];
  await next(); // every miss runs the handler
  await keep(c, Date.now(), options);
  return 'MISS';
}
