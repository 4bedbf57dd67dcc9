/**
 * A miss (RFC 9111 §3): the handler answers, and the cache keeps what a shared
 * cache may keep of it: the status, the header fields and the body as bytes,
 * within a size limit. Concurrent misses of one URL in this process run the
 * handler once; the others are served its response, if it is theirs to have.
 */
import type { Context, Next } from 'hono';
import { variantKey, varyNames } from './cache-key.js';
import { initialAge, mayReuse, type CacheRules } from './cache-policy.js';
import type { Fills } from './coalescing.js';
import { answer } from './conditional.js';
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
export async function keep(c: Context, requestTime: number, options: KeepOptions, voided?: () => boolean): Promise<StoredResponse | undefined> {
  const { rules, maxBodyBytes, heuristicMaxSeconds, save } = options;
  if (!rules.isStorable(c.req.raw, c.res)) return undefined;
  const captured = await captureResponse(c.res, maxBodyBytes);
  c.res = captured.response; // the body was read: hand on the same bytes, or stream them through
  if (!captured.complete || voided?.()) return undefined;
  const responseTime = Date.now();
  const stored: StoredResponse = {
    status: captured.status,
    headers: captured.headers,
    body: captured.body,
    responseTime,
    initialAge: initialAge(c.res.headers, requestTime, responseTime),
    freshness: rules.freshnessLifetime(c.res, { now: responseTime, heuristicMaxSeconds }),
  };
  await save(stored);
  return stored;
}

/** Runs a miss once per key in flight. Answers HIT when this request was served another's response, MISS when the handler answered it. */
export async function miss(c: Context, next: Next, key: string, fills: Fills<Filled>, options: KeepOptions): Promise<'HIT' | 'MISS'> {
  const request = c.req.raw;
  const requestTime = Date.now();
  const shared = await fills.run(key, async (voided) => {
    await next();
    const stored = await keep(c, requestTime, options, voided);
    return stored && { stored, variant: variantOf(stored, request) };
  });
  if (shared.leader) return 'MISS';
  const filled = shared.value;
  if (filled !== undefined && variantOf(filled.stored, request) === filled.variant && mayReuse(filled.stored, request)) {
    c.res = answer(filled.stored, request, currentAge(filled.stored));
    return 'HIT';
  }
  await next(); // its response was not for everyone, not for this variant, or a write voided it
  return 'MISS';
}

/** The variant of a stored response's URL that `request` asks for. */
function variantOf(stored: StoredResponse, request: Request): string {
  return variantKey(varyNames(new Headers(stored.headers)) as string[], request.headers);
}
